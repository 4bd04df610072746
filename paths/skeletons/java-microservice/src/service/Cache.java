package service;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A Redis cache, when REDIS_URL (redis://:password@host:port) is set: a few commands of Redis's
 * protocol (RESP) over a socket, enough for a counter; no client library needed.
 */
final class Cache {
    private final String host;
    private final int port;
    private final String password;

    private Cache(String host, int port, String password) {
        this.host = host;
        this.port = port;
        this.password = password;
    }

    static Cache fromEnvironment() {
        String url = System.getenv("REDIS_URL");
        if (url == null || url.isEmpty()) return null;
        URI uri = URI.create(url);
        String info = uri.getRawUserInfo();
        String password = info == null ? null : URLDecoder.decode(info.contains(":") ? info.substring(info.indexOf(':') + 1) : info, StandardCharsets.UTF_8);
        return new Cache(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort(), password);
    }

    synchronized long increment(String key) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (password != null && !password.isEmpty()) {
                command(out, "AUTH", password);
                reply(in);
            }
            command(out, "INCR", key);
            return Long.parseLong(reply(in));
        }
    }

    private static void command(OutputStream out, String... parts) throws IOException {
        StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String p : parts) {
            byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
            b.append('$').append(bytes.length).append("\r\n").append(p).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One simple reply: +OK, :42, or -ERR as an exception. */
    private static String reply(InputStream in) throws IOException {
        int type = in.read();
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r' && c != -1; c = in.read()) line.append((char) c);
        in.read(); // \n
        if (type == '-') throw new IOException("redis: " + line);
        return line.toString();
    }
}
