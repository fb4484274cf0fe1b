package io.cairn.mvcc.watch;

import io.cairn.mvcc.Event;

/** etcd's {@code WatchCreateRequest.FilterType}: which events a watcher does not want, with wire numbers. */
public enum WatchFilter {
    /** Drop put events. */
    NOPUT(0, Event.Type.PUT),
    /** Drop delete events. */
    NODELETE(1, Event.Type.DELETE);

    private final int number;
    private final Event.Type dropped;

    WatchFilter(int number, Event.Type dropped) {
        this.number = number;
        this.dropped = dropped;
    }

    public int number() {
        return number;
    }

    /** True when this filter removes {@code e}. */
    public boolean drops(Event e) {
        return e.type() == dropped;
    }

    /** The filter with wire number {@code n}; etcd ignores unknown numbers, so this returns null for them. */
    public static WatchFilter ofNumber(int n) {
        for (WatchFilter f : values()) {
            if (f.number == n) {
                return f;
            }
        }
        return null;
    }
}
