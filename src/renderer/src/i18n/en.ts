// English UI strings. Lesson text (titles, params, notes) comes localized from the engine.
export const en = {
  app: { name: 'Wirelab', tagline: 'Network protocols, made visible' },
  conn: {
    open: 'Connected',
    connecting: 'Connecting…',
    closed: 'Disconnected — retrying',
    electron: 'Desktop',
    dropped: '{{count}} events dropped'
  },
  picker: { label: 'Lesson', choose: 'Choose a lesson…', soon: 'coming soon' },
  lang: { label: 'Language' },
  theme: { dark: 'Dark', light: 'Light', label: 'Theme' },
  lesson: {
    none: 'Choose a lesson in the top bar to begin.',
    goal: 'Goal',
    params: 'Parameters',
    actions: 'Actions',
    start: 'Start lesson',
    restart: 'Restart',
    stop: 'Stop',
    running: 'Running',
    stopped: 'Not running',
    ports: 'Ports',
    fellBack: 'port {{preferred}} was busy → {{port}}',
    actionFailed: 'Could not run “{{action}}”',
    clear: 'Clear log',
    exportPcap: 'Export pcap',
    saveSession: 'Save session'
  },
  hints: {
    title: 'Use your own client',
    explain:
      'Run one of these on this computer. Your connection appears in the diagram as its own actor, with its own port.',
    copy: 'Copy',
    copied: 'Copied',
    notStarted: 'Start the lesson to see the exact commands.'
  },
  playback: {
    live: 'Live',
    playing: 'Playing',
    paused: 'Paused',
    play: 'Play (Space)',
    pause: 'Pause (Space)',
    back: 'Step back (←)',
    forward: 'Step forward (→)',
    home: 'To start (Home)',
    goLive: 'Go live',
    speed: 'Speed',
    step: 'step {{n}} of {{total}}',
    at: 'at',
    delta: 'Δ',
    empty: 'Nothing yet'
  },
  seq: {
    empty: 'Start the lesson and press the action button: the messages appear here.',
    legendC2S: 'client → server',
    legendS2C: 'server → client',
    legendModeled: 'modeled (kernel segment, not captured)',
    legendRst: 'reset (RST)',
    modeled: 'modeled',
    echo: 'echo',
    connection: 'connection {{conn}}',
    closed: '{{conn}} closed by {{by}} ({{how}})',
    external: 'your client',
    trimmed: '{{count}} earlier rows not drawn'
  },
  bytes: {
    empty: 'Click a message in the diagram or the packet list to see its bytes.',
    fields: 'Fields',
    hex: 'Hex',
    ascii: 'ASCII',
    modeled: 'modeled',
    modeledNote: 'These header bytes are modeled by Wirelab: the kernel builds them on loopback, where no program can see them.',
    malformed: 'malformed',
    bytes: '{{count}} bytes',
    range: 'bytes {{start}}–{{end}}'
  },
  packets: {
    no: 'No.',
    time: 'Time',
    delta: 'Δ',
    conn: 'Conn',
    dir: 'Dir',
    protocol: 'Protocol',
    summary: 'Summary',
    empty: 'No packets yet.'
  },
  dir: { c2s: 'client → server', s2c: 'server → client' }
}

export type Resources = typeof en
