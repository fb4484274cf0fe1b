package io.cairn.mvcc;

/**
 * One change, as watchers see it (etcd's {@code mvccpb.Event}). For a delete, {@code kv} holds the key and the
 * revision of the delete only. {@code prevKv} is filled only where a watcher asked for it, else null.
 */
public record Event(Type type, KeyValue kv, KeyValue prevKv) {

    /** etcd's event types, with their wire numbers. */
    public enum Type {
        PUT(0), DELETE(1);

        private final int number;

        Type(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }
    }

    public static Event put(KeyValue kv) {
        return new Event(Type.PUT, kv, null);
    }

    public static Event delete(byte[] key, long rev) {
        return new Event(Type.DELETE, new KeyValue(key, 0, rev, 0, null, 0), null);
    }

    public Event withPrevKv(KeyValue prev) {
        return new Event(type, kv, prev);
    }

    /** A put that created the key (version 1): it has no previous value. */
    public boolean isCreate() {
        return type == Type.PUT && kv.version() == 1;
    }
}
