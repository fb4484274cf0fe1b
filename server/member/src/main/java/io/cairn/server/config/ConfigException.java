package io.cairn.server.config;

/** A configuration that cannot start a member: an unknown flag, a bad value, or conflicting sources. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
