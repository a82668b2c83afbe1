// The MQTT panel's words, in the course's two languages.
export const P = {
  lessons: { en: 'Lessons', pt: 'Lições' },
  addPublisher: { en: 'Add a publisher', pt: 'Adicionar um publisher' },
  addSubscriber: { en: 'Add a subscriber', pt: 'Adicionar um subscritor' },
  name: { en: 'Name', pt: 'Nome' },
  filter: { en: 'Topic filter', pt: 'Filtro de tópico' },
  filterHelp: { en: '+ one level, # many levels (last only). Example: home/+/temperature', pt: '+ um nível, # vários níveis (só no fim). Exemplo: home/+/temperature' },
  publish: { en: 'Publish', pt: 'Publicar' },
  from: { en: 'From', pt: 'De' },
  firstPublisher: { en: '(first publisher)', pt: '(primeiro publisher)' },
  topic: { en: 'Topic', pt: 'Tópico' },
  payload: { en: 'Message', pt: 'Mensagem' },
  clients: { en: 'Connected clients', pt: 'Clientes ligados' },
  remove: { en: 'remove', pt: 'remover' },
  broker: { en: 'Broker', pt: 'Broker' },
  restart: { en: 'Takes effect when the lesson restarts.', pt: 'Tem efeito quando a lição recomeça.' }
}
