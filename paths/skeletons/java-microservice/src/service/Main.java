package service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A JDK-only HTTP service: no framework, no build tool, nothing downloaded. It listens on the
 * loopback port the platform gives in PORT; the platform serves it at the environment's stable URL.
 *
 *   GET /health  200 "ok" while the service can answer (the platform checks it before switching to a new build)
 *   GET /        what the service is, and what it is connected to
 *   GET /visits  records a visit in its own PostgreSQL database and counts them; with REDIS_URL set,
 *                also counts hits in the cache
 */
public final class Main {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        Database database = Database.fromEnvironment();
        Cache cache = Cache.fromEnvironment();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/health", exchange -> send(exchange, 200, "text/plain", "ok\n"));
        server.createContext("/visits", exchange -> {
            try {
                StringBuilder json = new StringBuilder("{");
                json.append("\"visits\":").append(database.recordVisit(exchange.getRequestURI().getPath()));
                json.append(",\"database\":\"").append(Json.escape(database.describe())).append('"');
                if (cache != null) json.append(",\"cache\":\"redis\",\"hits\":").append(cache.increment("hits"));
                else json.append(",\"cache\":\"none\"");
                send(exchange, 200, "application/json", json.append("}\n").toString());
            } catch (Exception e) {
                send(exchange, 503, "application/json", "{\"error\":\"" + Json.escape(String.valueOf(e.getMessage())) + "\"}\n");
            }
        });
        server.createContext("/", exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                send(exchange, 404, "application/json", "{\"error\":\"no such page; try / or /visits\"}\n");
                return;
            }
            String body = "{\"service\":\"{{ environment.name }}\",\"team\":\"{{ environment.team }}\""
                + ",\"database\":" + (database.configured() ? "\"configured\"" : "\"none\"")
                + ",\"cache\":" + (cache != null ? "\"redis\"" : "\"none\"") + "}\n";
            send(exchange, 200, "application/json", body);
        });
        server.start();
        System.out.println("listening on 127.0.0.1:" + port);
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
