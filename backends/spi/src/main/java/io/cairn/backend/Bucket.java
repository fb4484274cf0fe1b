package io.cairn.backend;

import java.util.regex.Pattern;

/**
 * A named keyspace. Buckets are created on first write and listed in name order. Names are 1-64 characters of
 * {@code [A-Za-z0-9_]} so every engine can store them natively.
 */
public record Bucket(String name) implements Comparable<Bucket> {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_]{1,64}");

    public static final Bucket KEY = new Bucket("key");
    public static final Bucket META = new Bucket("meta");
    public static final Bucket LEASE = new Bucket("lease");
    public static final Bucket ALARM = new Bucket("alarm");
    public static final Bucket CLUSTER = new Bucket("cluster");
    public static final Bucket MEMBERS = new Bucket("members");
    public static final Bucket MEMBERS_REMOVED = new Bucket("members_removed");
    public static final Bucket AUTH = new Bucket("auth");
    public static final Bucket AUTH_USERS = new Bucket("authUsers");
    public static final Bucket AUTH_ROLES = new Bucket("authRoles");

    public Bucket {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("bucket name must match " + VALID.pattern() + ": " + name);
        }
    }

    public static Bucket of(String name) {
        return new Bucket(name);
    }

    @Override
    public int compareTo(Bucket other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
