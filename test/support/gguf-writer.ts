import { writeFile } from 'node:fs/promises';

// GGUF v3 value types.
const UINT32 = 4;
const INT32 = 5;
const FLOAT32 = 6;
const STRING = 8;
const ARRAY = 9;
const ALIGNMENT = 32;

type Value =
  | { type: 'u32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'f32s'; value: number[] }
  | { type: 'i32s'; value: number[] };

class ByteWriter {
  readonly #chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.#chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.push(buffer);
  }
  u64(value: number): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.push(buffer);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(): void {
    const rest = this.length % ALIGNMENT;
    if (rest !== 0) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

function writeValue(out: ByteWriter, value: Value): void {
  switch (value.type) {
    case 'u32':
      out.u32(UINT32);
      out.u32(value.value);
      return;
    case 'f32': {
      out.u32(FLOAT32);
      const buffer = Buffer.alloc(4);
      buffer.writeFloatLE(value.value);
      out.push(buffer);
      return;
    }
    case 'string':
      out.u32(STRING);
      out.string(value.value);
      return;
    case 'strings':
      out.u32(ARRAY);
      out.u32(STRING);
      out.u64(value.value.length);
      for (const item of value.value) out.string(item);
      return;
    case 'f32s': {
      out.u32(ARRAY);
      out.u32(FLOAT32);
      out.u64(value.value.length);
      out.push(Buffer.from(new Float32Array(value.value).buffer));
      return;
    }
    case 'i32s':
      out.u32(ARRAY);
      out.u32(INT32);
      out.u64(value.value.length);
      out.push(Buffer.from(new Int32Array(value.value).buffer));
      return;
  }
}

const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/**
 * A tiny "llama" GGUF (v3) with random F32 weights: 2 layers, embedding 64, 4 heads, feed-forward
 * 128, context 4096, and an SPM vocabulary of 356 tokens (unknown, BOS, EOS, the ChatML markers as
 * control tokens, the 256 byte tokens, `▁` and printable ASCII). Every key llama.cpp requires is
 * present: a missing `feed_forward_length` or `head_count` aborts the whole process.
 */
export function buildTinyGguf(seed = 1): Buffer {
  const tokens = ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>'];
  const types = [2, 3, 3, 3, 3];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  tokens.push('\u2581');
  types.push(1);
  for (let code = 0x21; code <= 0x7e; code++) {
    tokens.push(String.fromCharCode(code));
    types.push(1);
  }
  const vocabulary = tokens.length;
  const embedding = 64;
  const feedForward = 128;
  const layers = 2;

  const metadata: Array<[string, Value]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: 'parley-tiny-test' }],
    ['llama.context_length', { type: 'u32', value: 4096 }],
    ['llama.embedding_length', { type: 'u32', value: embedding }],
    ['llama.block_count', { type: 'u32', value: layers }],
    ['llama.feed_forward_length', { type: 'u32', value: feedForward }],
    ['llama.attention.head_count', { type: 'u32', value: 4 }],
    ['llama.attention.head_count_kv', { type: 'u32', value: 4 }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.rope.dimension_count', { type: 'u32', value: embedding / 4 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'strings', value: tokens }],
    ['tokenizer.ggml.scores', { type: 'f32s', value: tokens.map((_, index) => -index) }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: types }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 4 }],
    ['tokenizer.chat_template', { type: 'string', value: CHATML_TEMPLATE }],
  ];

  const tensors: Array<{ name: string; dims: number[]; norm?: boolean }> = [
    { name: 'token_embd.weight', dims: [embedding, vocabulary] },
  ];
  for (let layer = 0; layer < layers; layer++) {
    const block = `blk.${layer}`;
    tensors.push(
      { name: `${block}.attn_norm.weight`, dims: [embedding], norm: true },
      { name: `${block}.attn_q.weight`, dims: [embedding, embedding] },
      { name: `${block}.attn_k.weight`, dims: [embedding, embedding] },
      { name: `${block}.attn_v.weight`, dims: [embedding, embedding] },
      { name: `${block}.attn_output.weight`, dims: [embedding, embedding] },
      { name: `${block}.ffn_norm.weight`, dims: [embedding], norm: true },
      { name: `${block}.ffn_gate.weight`, dims: [embedding, feedForward] },
      { name: `${block}.ffn_up.weight`, dims: [embedding, feedForward] },
      { name: `${block}.ffn_down.weight`, dims: [feedForward, embedding] },
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [embedding], norm: true },
    { name: 'output.weight', dims: [embedding, vocabulary] },
  );

  const out = new ByteWriter();
  out.push(Buffer.from('GGUF', 'ascii'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    writeValue(out, value);
  }
  let offset = 0;
  const sizes = tensors.map((tensor) => tensor.dims.reduce((product, dim) => product * dim, 1) * 4);
  tensors.forEach((tensor, index) => {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(0); // F32
    out.u64(offset);
    offset += Math.ceil(sizes[index]! / ALIGNMENT) * ALIGNMENT;
  });
  out.pad();
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  tensors.forEach((tensor, index) => {
    const values = new Float32Array(sizes[index]! / 4);
    for (let item = 0; item < values.length; item++)
      values[item] = tensor.norm ? 1 : (random() - 0.5) * 0.2;
    out.push(Buffer.from(values.buffer));
    out.pad();
  });
  return out.bytes();
}

/** Writes the tiny model to `path` and returns its size in bytes. */
export async function writeTinyGguf(path: string, seed = 1): Promise<number> {
  const bytes = buildTinyGguf(seed);
  await writeFile(path, bytes);
  return bytes.length;
}
