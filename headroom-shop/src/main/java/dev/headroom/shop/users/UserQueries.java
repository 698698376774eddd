package dev.headroom.shop.users;

import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads and writes users. Without {@code single-query} it selects {@code *}, with it names its columns; the indexes make the rest of the difference. */
public final class UserQueries {
    private final String columns;

    /** @param namedColumns the {@code single-query} switch */
    public UserQueries(boolean namedColumns) {
        this.columns = namedColumns ? "id, email, name, created_at, updated_at" : "*";
    }

    public UserView byId(Sql sql, long id) throws SQLException {
        return sql.one("SELECT " + columns + " FROM users WHERE id = ?", ps -> ps.setLong(1, id), UserQueries::map);
    }

    public boolean exists(Sql sql, long id) throws SQLException {
        return sql.one("SELECT 1 FROM users WHERE id = ?", ps -> ps.setLong(1, id), rs -> Boolean.TRUE) != null;
    }

    static String byEmailSql(String columns) {
        return "SELECT " + columns + " FROM users WHERE email = ? ORDER BY id LIMIT 100";
    }

    public List<UserView> byEmail(Sql sql, String email) throws SQLException {
        return sql.list(byEmailSql(columns),
                ps -> ps.setString(1, email), UserQueries::map);
    }

    /** Locks the user's row for an update in the current transaction; null when there is no such user. */
    UserView lockForUpdate(Sql sql, long id) throws SQLException {
        return sql.one("SELECT " + columns + " FROM users WHERE id = ? FOR UPDATE", ps -> ps.setLong(1, id), UserQueries::map);
    }

    boolean emailTakenByOther(Sql sql, String email, long id) throws SQLException {
        return sql.one("SELECT 1 FROM users WHERE email = ? AND id <> ? LIMIT 1",
                ps -> { ps.setString(1, email); ps.setLong(2, id); }, rs -> Boolean.TRUE) != null;
    }

    UserView update(Sql sql, long id, String name, String email) throws SQLException {
        return sql.one("UPDATE users SET name = ?, email = ?, updated_at = now() WHERE id = ? RETURNING " + columns,
                ps -> { ps.setString(1, name); ps.setString(2, email); ps.setLong(3, id); }, UserQueries::map);
    }

    static UserView map(ResultSet rs) throws SQLException {
        return new UserView(rs.getLong("id"), rs.getString("email"), rs.getString("name"),
                Times.iso(rs, "created_at"), Times.iso(rs, "updated_at"));
    }
}
