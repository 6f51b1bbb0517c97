import { create } from '@bufbuild/protobuf';
import { TensorProto_DataType, TensorProtoSchema, type TensorProto } from 'onnx-buf';

/** Element types of the initializers written. */
export type TensorValues = Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

function dataTypeOf(values: TensorValues): TensorProto_DataType {
  if (values instanceof Float32Array) return TensorProto_DataType.FLOAT;
  if (values instanceof BigInt64Array) return TensorProto_DataType.INT64;
  if (values instanceof Int32Array) return TensorProto_DataType.INT32;
  if (values instanceof Int8Array) return TensorProto_DataType.INT8;
  return TensorProto_DataType.UINT8;
}

/** An initializer holding `values` with shape `dims` (raw little-endian data). */
export function tensor(name: string, dims: readonly number[], values: TensorValues): TensorProto {
  const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength) as ArrayBuffer);
  return create(TensorProtoSchema, { name, dims: dims.map((d) => BigInt(d)), dataType: dataTypeOf(values), rawData: bytes });
}
