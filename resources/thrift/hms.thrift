// hms.thrift — um Hive Metastore em miniatura (seed 001: "metastore.thrift — exemplo simplificado
// do Hive Metastore"). Os structs, campos e ids seguem o hive_metastore.thrift do Hive; só uma parte.
// Gere o cliente Python com:  thrift --gen py hms.thrift
namespace py hms
namespace js hms

struct FieldSchema {
  1: string name,
  2: string type,
  3: string comment
}

struct StorageDescriptor {
  1: list<FieldSchema> cols,
  2: string location,
  3: string inputFormat
}

struct Table {
  1: string tableName,
  2: string dbName,
  3: string owner,
  4: i32 createTime,
  7: StorageDescriptor sd,
  9: map<string, string> parameters,
  12: string tableType
}

exception MetaException {
  1: string message
}

exception NoSuchObjectException {
  1: string message
}

service ThriftHiveMetastore {
  list<string> get_all_databases() throws (1: MetaException o1)
  Table get_table(1: string dbname, 2: string tbl_name) throws (1: MetaException o1, 2: NoSuchObjectException o2)
}
