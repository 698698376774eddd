package dev.headroom.shop.users;

import dev.headroom.shop.cache.EntityCache;
import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.ApiException;
import dev.headroom.shop.http.Bodies;
import dev.headroom.shop.http.Page;
import dev.headroom.shop.http.Params;
import dev.headroom.shop.http.Rendered;
import dev.headroom.shop.http.Reply;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code GET /users/{id}}, {@code GET /users?email=}, {@code PATCH /users/{id}}. */
public final class UserRoutes {
    static final int MAX_NAME = 200;
    static final int MAX_EMAIL = 254;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    /** Personal data: browsers may keep it, shared caches may not, and every reuse is revalidated (cheap with the ETag). */
    public static final String CACHE_CONTROL = "private, no-cache";

    private final UserQueries users;
    private final EntityCache<UserView> cache;

    public UserRoutes(UserQueries users, EntityCache<UserView> cache) {
        this.users = users;
        this.cache = cache;
    }

    /** The user from this node's L1, on the event loop; null sends the request to {@link #get}. */
    public Reply fromCache(RoutingContext ctx) {
        Rendered<UserView> user = cache.cachedLocally(Params.onlyPathId(ctx));
        return user == null ? null : Reply.cacheable(user, CACHE_CONTROL);
    }

    public Reply get(RoutingContext ctx, Sql sql) throws SQLException {
        long id = Params.onlyPathId(ctx);
        Rendered<UserView> user = cache.get(id, sql, key -> users.byId(sql, key));
        if (user == null) {
            throw ApiException.notFound("no user with id " + id);
        }
        return Reply.cacheable(user, CACHE_CONTROL);
    }

    public Reply findByEmail(RoutingContext ctx, Sql sql) throws SQLException {
        Params.allowOnly(ctx, Set.of("email"));
        String email = Params.required(ctx, "email", MAX_EMAIL);
        return Reply.ok(new Page<>(users.byEmail(sql, email), null));
    }

    /** Changes name and/or email; 409 when the email belongs to another user. */
    public Reply patch(RoutingContext ctx, Sql sql) throws SQLException {
        long id = Params.onlyPathId(ctx);
        Bodies body = Bodies.of(ctx).allowOnly(Set.of("name", "email"));
        String name = body.has("name") ? body.string("name", MAX_NAME) : null;
        String email = body.has("email") ? body.string("email", MAX_EMAIL) : null;
        if (email != null && !EMAIL.matcher(email).matches()) {
            body.error("email", "must be an email address like name@example.com");
        }
        if (!body.has("name") && !body.has("email")) {
            body.error("name", "give name, email or both");
        }
        body.check();
        UserView updated = sql.inTransaction(() -> {
            UserView current = users.lockForUpdate(sql, id);
            if (current == null) {
                throw ApiException.notFound("no user with id " + id);
            }
            if (email != null && !email.equals(current.email()) && users.emailTakenByOther(sql, email, id)) {
                throw ApiException.conflict("email", "belongs to another user");
            }
            return users.update(sql, id, name != null ? name : current.name(), email != null ? email : current.email());
        });
        cache.invalidate(id);
        return Reply.ok(updated);
    }
}
