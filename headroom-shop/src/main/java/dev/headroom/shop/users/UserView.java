package dev.headroom.shop.users;

/** A user as the API shows it. */
public record UserView(long id, String email, String name, String createdAt, String updatedAt) {
}
