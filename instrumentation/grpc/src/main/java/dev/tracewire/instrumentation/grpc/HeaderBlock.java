package dev.tracewire.instrumentation.grpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Trace headers as {@code name: value} lines in one string, for a single string field. */
final class HeaderBlock {

  static String encode(Map<String, String> fields) {
    if (fields.isEmpty()) return "";
    int size = 0;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      size += field.getKey().length() + 2 + field.getValue().length() + 1;
    }
    StringBuilder block = new StringBuilder(size);
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (block.length() > 0) block.append('\n');
      block.append(field.getKey()).append(": ").append(field.getValue());
    }
    return block.toString();
  }

  /**
   * Reads the lines of {@code block}; lines without a name, or without {@code ": "}, are skipped
   * and the first value of a name wins. Never throws: any string decodes to some map.
   */
  static Map<String, String> decode(String block) {
    if (block == null || block.isEmpty()) return Collections.emptyMap();
    Map<String, String> fields = new LinkedHashMap<>();
    int length = block.length();
    int begin = 0;
    while (begin < length) {
      int end = block.indexOf('\n', begin);
      if (end < 0) end = length;
      int colon = begin;
      while (colon < end - 1 && !(block.charAt(colon) == ':' && block.charAt(colon + 1) == ' ')) {
        colon++;
      }
      if (colon > begin && colon < end - 1) {
        String name = block.substring(begin, colon).trim();
        String value = block.substring(colon + 2, end).trim();
        if (!name.isEmpty()) fields.putIfAbsent(name, value);
      }
      begin = end + 1;
    }
    return fields;
  }

  private HeaderBlock() {}
}
