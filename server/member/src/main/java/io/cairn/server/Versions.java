package io.cairn.server;

/** The versions a member reports ({@code /version}, Maintenance.Status, {@code --version}). */
public final class Versions {
    /** Cairn's own version. */
    public static final String CAIRN = "0.1.0-SNAPSHOT";
    /** The etcd server version Cairn answers as: the etcd 3.5 API it implements. */
    public static final String ETCD_SERVER = "3.5.17";
    /** The cluster version: etcd reports major.minor.0. */
    public static final String ETCD_CLUSTER = "3.5.0";

    private Versions() {
    }
}
