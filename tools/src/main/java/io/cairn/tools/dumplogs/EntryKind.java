package io.cairn.tools.dumplogs;

/** What a log entry carries, with etcd-dump-logs' names and its short type column. */
enum EntryKind {
    CONFIG_CHANGE("ConfigChange", "conf"),
    CONFIG_CHANGE_V2("ConfigChangeV2", "conf"),
    INTERNAL_RAFT_REQUEST("InternalRaftRequest", "norm"),
    REQUEST("Request", "norm"),
    UNKNOWN_NORMAL("UnknownNormal", "norm");

    private final String etcdName;
    private final String column;

    EntryKind(String etcdName, String column) {
        this.etcdName = etcdName;
        this.column = column;
    }

    String etcdName() {
        return etcdName;
    }

    /** The {@code type} column: conf or norm. */
    String column() {
        return column;
    }
}
