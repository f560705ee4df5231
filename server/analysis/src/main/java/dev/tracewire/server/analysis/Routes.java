package dev.tracewire.server.analysis;

/**
 * Matches a request path against a server's route template ({@code /users/{id}}, {@code
 * /users/:id}).
 */
final class Routes {
  static boolean matches(String route, String path) {
    int r = 0;
    int p = 0;
    int rl = route.length();
    int pl = path.length();
    while (r < rl && p < pl) {
      char c = route.charAt(r);
      if (c == '{' || (c == ':' && (r == 0 || route.charAt(r - 1) == '/'))) {
        int close = c == '{' ? route.indexOf('}', r) : -1;
        int rNext = c == '{' ? (close < 0 ? rl : close + 1) : segmentEnd(route, r);
        if (c == '{' && close >= 0 && route.startsWith("*", r + 1)) return true; // {*rest}
        r = rNext;
        p = segmentEnd(path, p);
        continue;
      }
      if (c == '*') return true;
      if (c != path.charAt(p)) return false;
      r++;
      p++;
    }
    if (r == rl && p < pl) return path.substring(p).equals("/");
    return r == rl && p == pl;
  }

  private static int segmentEnd(String s, int from) {
    int slash = s.indexOf('/', from);
    return slash < 0 ? s.length() : slash;
  }

  private Routes() {}
}
