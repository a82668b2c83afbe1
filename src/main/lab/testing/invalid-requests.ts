// Malformed payloads for every bridge command, for the tests of validation (validate.test.ts) and
// of the Electron glue's handlers (security.test.ts). Test support.
import type { CommandName } from '../../../shared/api'

/** For each command, payloads its validation must reject. */
export const INVALID: Record<CommandName, unknown[]> = {
  'host:info': [{}, 1, 'x', [], true],
  'scene:list': [{}, 0, 'tcp-udp-echo', [1]],
  'scene:start': [
    null,
    {},
    'tcp-udp-echo',
    [],
    { scene: 1 },
    { scene: 'x'.repeat(101) },
    { scene: 'a', params: [] },
    { scene: 'a', params: 'x' },
    { scene: 'a', params: { k: {} } },
    { scene: 'a', params: { k: null } },
    { scene: 'a', params: { ['k'.repeat(65)]: 1 } },
    { scene: 'a', params: { k: 'x'.repeat(1_000_001) } }
  ],
  'scene:stop': [{}, 'now', 1],
  'scene:action': [
    null,
    {},
    { action: 2 },
    { action: 'x'.repeat(101) },
    { action: 'a', args: [1] },
    { action: 'a', args: { k: [1] } },
    { action: 'a', args: { k: () => 1 } }
  ],
  'scene:status': [{}, 'x'],
  'session:follow': [null, 5, 'x', [], { from: 1.5 }, { from: '3' }, { from: null }, { from: -1 }, { from: Number.NaN }],
  'session:range': [null, 'x', [], { from: -2 }, { to: 'end' }, { mark: 0.5 }, { span: 2 ** 40 }],
  'session:clear': [{}, 1],
  'session:save': [
    null,
    {},
    { format: 'json' },
    { format: 'wirelab', name: '../../etc/passwd' },
    { format: 'pcap', name: '/tmp/x' },
    { format: 'pcap', name: 'x'.repeat(201) },
    { format: 'pcap', name: 3 }
  ],
  'net:faults': [null, 'x', [], { set: 1 }, { set: { lossPct: '50' } }, { set: { latencyMs: { c2s: 'x' } } }, { set: { ['k'.repeat(40)]: 1 } }],
  'net:cut': [{}, 'all', 1],
  'capture:frames': [null, 'on', 1, [], { on: 'yes' }, { on: 1 }]
}
