# thrift_client.py — um cliente do ThriftHiveMetastore gerado a partir do mesmo IDL (hms.thrift):
#   thrift --gen py hms.thrift      (cria a pasta gen-py/ com o código do cliente)
#   python3 thrift_client.py
# Precisa da biblioteca thrift para Python (Debian/Ubuntu: apt install python3-thrift; ou pip install thrift).
import sys
sys.path.append('gen-py')

from thrift.transport import TSocket, TTransport
from thrift.protocol import TBinaryProtocol
from hms import ThriftHiveMetastore
from hms.ttypes import NoSuchObjectException

HOST = '127.0.0.1'
PORT = 9083

sock = TSocket.TSocket(HOST, PORT)
transport = TTransport.TBufferedTransport(sock)
protocol = TBinaryProtocol.TBinaryProtocol(transport)
client = ThriftHiveMetastore.Client(protocol)

transport.open()
print('Bancos:', client.get_all_databases())
tabela = client.get_table('vendas', 'pedidos')
print('Tabela:', tabela.dbName + '.' + tabela.tableName, 'em', tabela.sd.location)
try:
    client.get_table('vendas', 'clientes')
except NoSuchObjectException as e:
    print('Erro:', e.message)
transport.close()
