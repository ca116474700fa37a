package xiio.http.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A small router: method + path pattern to handler. A pattern is a path whose
 * segments may be parameters, {@code /users/{id}}, and whose last segment may take
 * the rest of the path, {@code /files/{path...}}; parameters are percent-decoded and
 * read with {@link Request#param}. Routes are tried in the order they were added.
 * A path no route matches is 404; a path some route matches with another method is
 * 405 with {@code Allow}; {@code HEAD} is served by the {@code GET} route.
 *
 * <p>The path is split on {@code /} before it is decoded, and segments are compared
 * and captured decoded. So a {@code {name}} parameter never holds a {@code /}, and a
 * {@code {name...}} parameter is a relative path of plain names that cannot climb
 * above the route's prefix: a request whose path has a {@code ..} segment (plain or
 * percent-encoded, {@code %2e%2e}) or an encoded slash ({@code %2F}) is answered 400
 * naming the problem, before any route is tried; a {@code .} segment is removed, as
 * RFC 3986 section 5.2.4 removes it. {@link Request#path()} stays the path as sent.
 *
 * {@snippet :
 * Router router = new Router()
 *         .get("/", r -> Response.text(200, "home\n"))
 *         .get("/users/{id}", r -> Response.text(200, "user " + r.param("id") + "\n"))
 *         .post("/echo", r -> Response.of(200, r.header("Content-Type"), r.body().readAllBytes()));
 * }
 */
public final class Router implements Handler {
    private record Route(String method, String[] segments, boolean rest, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();

    /** A router without routes: everything is 404. */
    public Router() {}

    /**
     * Adds a route.
     *
     * @param method  the method, such as {@code GET}
     * @param pattern the path pattern, starting with {@code /}; its fixed segments are
     *                compared with the request's decoded ones, so write them decoded
     * @param handler what answers
     * @return this
     * @throws IllegalArgumentException for a pattern that does not start with {@code /},
     *         an empty parameter name, or a {@code {name...}} segment that is not the last
     */
    public Router route(String method, String pattern, Handler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (pattern == null || !pattern.startsWith("/")) throw new IllegalArgumentException("a route pattern starts with '/', got " + pattern);
        String[] segments = pattern.substring(1).split("/", -1);
        boolean rest = false;
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                if (name.endsWith("...")) {
                    if (i != segments.length - 1) throw new IllegalArgumentException("{" + name + "} must be the last segment of " + pattern);
                    rest = true;
                    name = name.substring(0, name.length() - 3);
                }
                if (name.isEmpty()) throw new IllegalArgumentException("a parameter without a name in " + pattern);
            }
        }
        routes.add(new Route(method, segments, rest, handler));
        return this;
    }

    /** @param pattern the path pattern @param handler what answers @return this */
    public Router get(String pattern, Handler handler) {
        return route("GET", pattern, handler);
    }

    /** @param pattern the path pattern @param handler what answers @return this */
    public Router post(String pattern, Handler handler) {
        return route("POST", pattern, handler);
    }

    /** @param pattern the path pattern @param handler what answers @return this */
    public Router put(String pattern, Handler handler) {
        return route("PUT", pattern, handler);
    }

    /** @param pattern the path pattern @param handler what answers @return this */
    public Router delete(String pattern, Handler handler) {
        return route("DELETE", pattern, handler);
    }

    @Override
    public Response handle(Request request) throws Exception {
        String[] path = RoutePath.segments(request.path());
        Set<String> allowed = null; // built only for a 405: a matched request allocates no set
        Route headFallback = null;
        Map<String, String> headParams = null;
        for (Route r : routes) {
            Map<String, String> params = match(r, path);
            if (params == null) continue;
            if (r.method.equals(request.method())) return r.handler.handle(request.withParams(params));
            if (request.method().equals("HEAD") && r.method.equals("GET") && headFallback == null) {
                headFallback = r;
                headParams = params;
            }
            if (allowed == null) allowed = new LinkedHashSet<>();
            allowed.add(r.method);
        }
        if (headFallback != null) return headFallback.handler.handle(request.withParams(headParams));
        if (allowed == null) return Response.error(404, "nothing at " + shorten(request.path()));
        if (allowed.contains("GET")) allowed.add("HEAD");
        String allow = String.join(", ", allowed);
        return Response.error(405, "this resource answers " + allow).with("Allow", allow);
    }

    /** The parameters if {@code r} matches the decoded segments {@code path}, else null. */
    private static Map<String, String> match(Route r, String[] path) {
        if (r.rest ? path.length < r.segments.length : path.length != r.segments.length) return null;
        Map<String, String> params = null;
        for (int i = 0; i < r.segments.length; i++) {
            String s = r.segments[i];
            boolean param = s.startsWith("{") && s.endsWith("}");
            if (!param) {
                if (!s.equals(path[i])) return null;
                continue;
            }
            if (params == null) params = new HashMap<>();
            if (r.rest && i == r.segments.length - 1) {
                params.put(s.substring(1, s.length() - 4), String.join("/", Arrays.asList(path).subList(i, path.length)));
            } else {
                if (path[i].isEmpty()) return null;
                params.put(s.substring(1, s.length() - 1), path[i]);
            }
        }
        return params == null ? Map.of() : params;
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
