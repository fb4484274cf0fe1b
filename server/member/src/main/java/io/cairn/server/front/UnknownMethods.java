package io.cairn.server.front;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import java.io.InputStream;
import java.util.Set;

/**
 * grpc-java's fallback registry: a call to a method no service has is refused UNIMPLEMENTED in grpc-go's (etcd's)
 * words, "unknown service S" or "unknown method M for service S", where grpc-java would say "Method not found".
 */
final class UnknownMethods extends HandlerRegistry {
    private final Set<String> services;

    /** @param services the full names of the services served */
    UnknownMethods(Set<String> services) {
        this.services = Set.copyOf(services);
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
        String service = MethodDescriptor.extractFullServiceName(methodName);
        String description;
        if (service == null) {
            description = "malformed method name: \"" + methodName + "\"";
        } else if (services.contains(service)) {
            description = "unknown method " + methodName.substring(service.length() + 1) + " for service " + service;
        } else {
            description = "unknown service " + service;
        }
        // never reads a message: the call is closed as it starts
        MethodDescriptor<InputStream, InputStream> method = MethodDescriptor.<InputStream, InputStream>newBuilder()
            .setType(MethodDescriptor.MethodType.UNKNOWN).setFullMethodName(methodName)
            .setRequestMarshaller(RequestParsing.RAW).setResponseMarshaller(RequestParsing.RAW).build();
        return ServerMethodDefinition.create(method, (call, headers) -> {
            call.close(Status.UNIMPLEMENTED.withDescription(description), new Metadata());
            return new ServerCall.Listener<>() {
            };
        });
    }
}
