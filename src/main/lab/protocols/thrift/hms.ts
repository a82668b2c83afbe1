// The lesson's metastore: a handful of databases and tables, served by `ThriftHiveMetastore`
// (resources/thrift/hms.thrift). Asking for a table that does not exist throws the IDL's
// NoSuchObjectException, as Hive's get_table does.
import { IdlException, type ThriftHandler } from './rpc'

const PARQUET_IN = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
// 2026-01-05 00:00:00 UTC, in seconds (Hive's createTime is an i32 of seconds).
const CREATED = 1_767_571_200

const col = (name: string, type: string, comment = ''): Record<string, string> => ({ name, type, comment })

export const HMS_TABLES: Record<string, Record<string, Record<string, unknown>>> = {
  default: {},
  vendas: {
    pedidos: {
      tableName: 'pedidos',
      dbName: 'vendas',
      owner: 'hive',
      createTime: CREATED,
      sd: {
        cols: [col('id', 'bigint'), col('cliente', 'string'), col('valor', 'double'), col('data', 'date')],
        location: 's3a://meu-bucket/vendas/pedidos',
        inputFormat: PARQUET_IN
      },
      parameters: { numFiles: '12', totalSize: '402653184' },
      tableType: 'EXTERNAL_TABLE'
    }
  },
  sensores: {
    leituras: {
      tableName: 'leituras',
      dbName: 'sensores',
      owner: 'hive',
      createTime: CREATED,
      sd: {
        cols: [col('sensor', 'string'), col('temperatura', 'double', 'graus Celsius'), col('ts', 'timestamp')],
        location: 's3a://meu-bucket/sensores/leituras',
        inputFormat: PARQUET_IN
      },
      parameters: { numFiles: '3' },
      tableType: 'EXTERNAL_TABLE'
    }
  }
}

export function hmsHandler(tables = HMS_TABLES): ThriftHandler {
  return {
    get_all_databases: () => Object.keys(tables),
    get_table: (dbname, tblName) => {
      const db = String(dbname ?? '')
      const name = String(tblName ?? '')
      const table = tables[db]?.[name]
      if (!table) throw new IdlException('NoSuchObjectException', { message: `${db}.${name} table not found` })
      return table
    }
  }
}
