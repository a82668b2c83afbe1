// The course's Python servers (resources/servers/*.py), as text, for `python3 -u -c <source> PORT
// BACKLOG DELAY_SECONDS`: the same files a student runs.
import { resourceText } from '../../resources'

export const tcpServerPy = (): string => resourceText('servers', 'tcp_server.py')
export const asyncioServerPy = (): string => resourceText('servers', 'asyncio_server.py')
