# rest_client.py
import http.client, json

conn = http.client.HTTPConnection('127.0.0.1', 8000)  # uma ligação TCP, keep-alive
for path in ['/', '/items/1', '/items/3']:
    conn.request('GET', path)
    resp = conn.getresponse()
    print(resp.status, resp.reason, json.loads(resp.read()))

conn.request('POST', '/items', body=json.dumps({'name': 'Teclado', 'price': 80}),
             headers={'Content-Type': 'application/json'})
resp = conn.getresponse()
print(resp.status, json.loads(resp.read()))
conn.close()
