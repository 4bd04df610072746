package service;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The service's own PostgreSQL database, through Debian's JDBC driver (libpostgresql-jdbc-java).
 * Configured by JDBC_URL, JDBC_USER and JDBC_PASSWORD, or by DATABASE_URL (postgres://user:password@host:port/db).
 */
final class Database {
    private final String url;
    private final String user;
    private final String password;

    private Database(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    static Database fromEnvironment() {
        String jdbc = System.getenv("JDBC_URL");
        if (jdbc != null && !jdbc.isEmpty()) return new Database(jdbc, System.getenv("JDBC_USER"), System.getenv("JDBC_PASSWORD"));
        String database = System.getenv("DATABASE_URL");
        if (database == null || database.isEmpty()) return new Database(null, null, null);
        URI uri = URI.create(database);
        String[] userInfo = uri.getRawUserInfo() == null ? new String[0] : uri.getRawUserInfo().split(":", 2);
        String user = userInfo.length > 0 ? decode(userInfo[0]) : null;
        String password = userInfo.length > 1 ? decode(userInfo[1]) : null;
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        return new Database("jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath(), user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    boolean configured() {
        return url != null;
    }

    String describe() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_database() || ' on PostgreSQL ' || current_setting('server_version')")) {
            r.next();
            return r.getString(1);
        }
    }

    /** Records a visit and returns how many there have been: the service reads and writes its own database. */
    long recordVisit(String path) throws SQLException {
        try (Connection c = connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS visits (id bigserial PRIMARY KEY, path text NOT NULL, at timestamptz NOT NULL DEFAULT now())");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO visits (path) VALUES (?)")) {
                p.setString(1, path);
                p.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM visits")) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        if (url == null) throw new SQLException("no database configured: set DATABASE_URL, or JDBC_URL with JDBC_USER and JDBC_PASSWORD");
        return DriverManager.getConnection(url, user, password);
    }
}
