package io.cairn.server.rpc;

import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.concurrent.Executor;

/**
 * Where a call's work that may block (a read of the backend, a password hash) runs, off the event loops: Armeria's
 * blocking-task pool, through the request's context when Armeria serves the call (the context then follows the
 * task), directly when grpc-java's server does.
 */
public final class BlockingWork {
    private BlockingWork() {
    }

    /** The executor for blocking work of the call being served on this thread. */
    public static Executor executor() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        return ctx != null ? ctx.blockingTaskExecutor() : CommonPools.blockingTaskExecutor();
    }
}
