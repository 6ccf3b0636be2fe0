package io.frpc.spring.autoconfigure;

import io.frpc.spring.FrpcClientsRegistrar;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Beans for the {@link io.frpc.client.FrpcClient} interfaces in the application's packages (those of its
 * {@code @SpringBootApplication}); {@link io.frpc.spring.EnableFrpcClients} scans others.
 */
@AutoConfiguration(after = FrpcAutoConfiguration.class)
@Import(FrpcClientsRegistrar.class)
public final class FrpcClientsAutoConfiguration {
}
