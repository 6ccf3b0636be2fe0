package io.frpc.status;

/**
 * The metrics SPI under its former package.
 *
 * @deprecated moved to {@link io.frpc.observability.FrpcObserver}; this alias goes in the next minor version
 */
@Deprecated(forRemoval = true)
public interface FrpcObserver extends io.frpc.observability.FrpcObserver {
}
