// Textos da interface em português (pt-BR).
import type { Resources } from './en'

export const pt: Resources = {
  app: { name: 'Wirelab', tagline: 'Protocolos de rede, à vista' },
  conn: {
    open: 'Conectado',
    connecting: 'Conectando…',
    closed: 'Desconectado — tentando de novo',
    electron: 'Desktop',
    dropped: '{{count}} eventos descartados'
  },
  picker: { label: 'Aula', choose: 'Escolha uma aula…', soon: 'em breve' },
  lang: { label: 'Idioma' },
  theme: { dark: 'Escuro', light: 'Claro', label: 'Tema' },
  lesson: {
    none: 'Escolha uma aula na barra superior para começar.',
    goal: 'Objetivo',
    params: 'Parâmetros',
    actions: 'Ações',
    start: 'Iniciar aula',
    restart: 'Reiniciar',
    stop: 'Parar',
    running: 'Em execução',
    stopped: 'Parada',
    ports: 'Portas',
    fellBack: 'a porta {{preferred}} estava ocupada → {{port}}',
    actionFailed: 'Não foi possível executar “{{action}}”',
    clear: 'Limpar registro',
    exportPcap: 'Exportar pcap',
    saveSession: 'Salvar sessão'
  },
  hints: {
    title: 'Use o seu próprio cliente',
    explain:
      'Execute um destes comandos neste computador. A sua conexão aparece no diagrama como um ator próprio, com a sua porta.',
    copy: 'Copiar',
    copied: 'Copiado',
    notStarted: 'Inicie a aula para ver os comandos exatos.'
  },
  playback: {
    live: 'Ao vivo',
    playing: 'Reproduzindo',
    paused: 'Pausado',
    play: 'Reproduzir (Espaço)',
    pause: 'Pausar (Espaço)',
    back: 'Passo atrás (←)',
    forward: 'Passo à frente (→)',
    home: 'Ao início (Home)',
    goLive: 'Ao vivo',
    speed: 'Velocidade',
    step: 'passo {{n}} de {{total}}',
    at: 'em',
    delta: 'Δ',
    empty: 'Nada ainda'
  },
  seq: {
    empty: 'Inicie a aula e clique no botão de ação: as mensagens aparecem aqui.',
    legendC2S: 'cliente → servidor',
    legendS2C: 'servidor → cliente',
    legendModeled: 'modelado (segmento do kernel, não capturado)',
    legendRst: 'reset (RST)',
    modeled: 'modelado',
    echo: 'eco',
    connection: 'conexão {{conn}}',
    closed: '{{conn}} fechada por {{by}} ({{how}})',
    external: 'o seu cliente',
    trimmed: '{{count}} linhas anteriores não desenhadas'
  },
  bytes: {
    empty: 'Clique numa mensagem do diagrama ou da lista de pacotes para ver os seus bytes.',
    fields: 'Campos',
    hex: 'Hex',
    ascii: 'ASCII',
    modeled: 'modelado',
    modeledNote:
      'Estes bytes de cabeçalho são modelados pelo Wirelab: o kernel os constrói no loopback, onde nenhum programa os vê.',
    malformed: 'malformado',
    bytes: '{{count}} bytes',
    range: 'bytes {{start}}–{{end}}'
  },
  packets: {
    no: 'N.º',
    time: 'Tempo',
    delta: 'Δ',
    conn: 'Conexão',
    dir: 'Dir.',
    protocol: 'Protocolo',
    summary: 'Resumo',
    empty: 'Nenhum pacote ainda.'
  },
  dir: { c2s: 'cliente → servidor', s2c: 'servidor → cliente' }
}
