package io.frpc.spring;

import io.frpc.FrpcNode;

/**
 * Adjusts the node the starter builds from {@code frpc.*} properties before it is built, for settings
 * that have no property (a Smile mapper with the application's Jackson modules, a node listener, ...).
 * Every bean of this type is applied, in {@link org.springframework.core.Ordered} order.
 * <pre>{@code
 * @Bean
 * FrpcNodeCustomizer smileWithMyModule() {
 *   return node -> node.smileMapper(FrpcNode.Builder.defaultSmileMapper().addModule(new MyModule()).build());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface FrpcNodeCustomizer {

  /** Customizes the node's builder. */
  void customize(FrpcNode.Builder builder);
}
