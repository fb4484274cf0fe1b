/**
 * Cairn's etcd v3 wire API: protobuf messages and gRPC stubs generated at build time from
 * {@code src/main/proto}. This module depends on no other Cairn module.
 */
package io.cairn.api;
