package dev.headroom.shop.api;

import static dev.headroom.shop.api.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.shop.Profile;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.TestShops;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code PATCH /products/{id}} (an admin write: prices) needs {@code Authorization: Bearer TOKEN} with the shop's admin
 * token; without it, or with another, it is a 401 that changes nothing. A user's own {@code PATCH /users/{id}} needs none.
 */
class AdminTokenTest {
    /** A product no other test changes. */
    private static final long PRODUCT = 66;

    /** The shop (and its seeded schema) before the first read of a row: run alone, this class is the first to use it. */
    @BeforeAll
    static void start() {
        Api.shop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer wrong-token-0123456789", "Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer  {token}",
            "Bearer {token}x", "{token}"})
    void aProductPatchWithoutTheTokenIs401AndChangesNothing(String authorization) {
        Object before = price();
        HttpRequest.Builder request = Api.request("/products/" + PRODUCT).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"priceCents\": 1}"));
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization.replace("{token}", Api.shop().config().adminToken()));
        }
        Api.Response r = Api.send(request.build());
        JsonNode p = problem(r, 401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"headroom-shop\"");
        assertThat(p.get("detail").asText()).endsWith("PATCH /products/:id is an admin write: send the header "
                + "'Authorization: Bearer TOKEN' with the shop's admin token (headroom up --admin-token, or the 'admin-token' line it printed)");
        assertThat(price()).as("the refused write changed nothing").isEqualTo(before);
    }

    @Test
    void aProductPatchWithTheTokenIsServed() {
        long before = ((Number) price()).longValue();
        try {
            Api.Response r = Api.adminPatch("/products/" + PRODUCT, "{\"priceCents\": " + (before + 1) + "}");
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(((Number) price()).longValue()).isEqualTo(before + 1);
        } finally {
            Api.adminPatch("/products/" + PRODUCT, "{\"priceCents\": " + before + "}");
        }
    }

    @Test
    void theSchemeIsCaseInsensitiveTheTokenIsNot() {
        long price = ((Number) price()).longValue();
        HttpRequest.Builder request = Api.request("/products/" + PRODUCT).header("Content-Type", "application/json")
                .header("Authorization", "bEARER " + Api.shop().config().adminToken())
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"priceCents\": " + price + "}"));
        assertThat(Api.send(request.build()).status()).as("RFC 9110: the auth scheme is case-insensitive").isEqualTo(200);
        HttpRequest.Builder upper = Api.request("/products/" + PRODUCT).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Api.shop().config().adminToken().toUpperCase(java.util.Locale.ROOT) + "G")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"priceCents\": 1}"));
        assertThat(Api.send(upper.build()).status()).isEqualTo(401);
        assertThat(((Number) price()).longValue()).isEqualTo(price);
    }

    @Test
    void aUsersOwnPatchNeedsNoToken() {
        String name = (String) Api.row("SELECT name FROM users WHERE id = 66").get("name");
        assertThat(Api.patch("/users/66", "{\"name\": \"" + name + "\"}").status()).isEqualTo(200);
    }

    @Test
    void theTokenIsGivenOrGeneratedOncePerBuilderAndNeverOpen() {
        ShopConfig.Builder builder = TestShops.config(Profile.OPTIMIZED);
        String generated = builder.build().adminToken();
        assertThat(generated).matches("[0-9a-f]{32}");
        assertThat(builder.build().adminToken()).as("every config of one builder shares it").isEqualTo(generated);
        assertThat(TestShops.config(Profile.OPTIMIZED).build().adminToken()).isNotEqualTo(generated);
        assertThat(builder.adminToken("given-token-1").build().adminToken()).isEqualTo("given-token-1");
        for (String bad : new String[] {"short", "has a space", "tab\there1", "naïve-token"}) {
            assertThatThrownBy(() -> ShopConfig.builder().adminToken(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the admin token must be at least 8 printable ASCII characters without spaces");
        }
    }

    private static Object price() {
        return Api.row("SELECT price_cents FROM products WHERE id = ?", PRODUCT).get("price_cents");
    }
}
