package io.cairn.backend.snapshot;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

final class Sha256 {
    static final int LENGTH = 32;

    private Sha256() {
    }

    static MessageDigest create() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
