package lumen.loader.gguf;

import java.util.List;
import java.util.Map;
import lumen.loader.TensorInfo;

/**
 * The parsed header of one GGUF file: everything before the tensor data.
 *
 * @param name       the file name used in messages
 * @param version    the GGUF version (2 or 3)
 * @param alignment  the data alignment ({@code general.alignment}, default 32)
 * @param dataOffset the absolute offset of the data section (tensor offsets in the file are relative to it;
 *                   those in {@link #tensors} are already absolute)
 * @param metadata   the metadata as plain Java values, in file order (see {@link GgufReader})
 * @param types      the GGUF type of each metadata value, for messages: {@code uint32}, {@code array of string}
 * @param tensors    the tensor infos, in file order, with absolute offsets
 */
public record GgufFile(String name, int version, long alignment, long dataOffset, Map<String, Object> metadata,
                       Map<String, String> types, List<TensorInfo> tensors) {
}
