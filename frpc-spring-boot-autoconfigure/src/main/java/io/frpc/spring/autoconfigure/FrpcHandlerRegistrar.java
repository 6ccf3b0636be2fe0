package io.frpc.spring.autoconfigure;

import io.frpc.module.ModuleRegistry;
import io.frpc.protocol.PayloadCodec;
import io.frpc.spring.FrpcHandler;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/** Builds the module registry from the {@link FrpcHandler} beans of the context. */
final class FrpcHandlerRegistrar {

  private FrpcHandlerRegistrar() {
  }

  static ModuleRegistry register(ConfigurableListableBeanFactory beanFactory, PayloadCodec codec, Executor workers,
      int defaultMailboxCapacity) {
    ModuleRegistry.Builder builder = ModuleRegistry.builder();
    for (String beanName : beanFactory.getBeanNamesForAnnotation(FrpcHandler.class)) {
      FrpcHandler handler = beanFactory.findAnnotationOnBean(beanName, FrpcHandler.class);
      Class<?> type = ClassUtils.getUserClass(beanFactory.getType(beanName));
      if (handler.instances() < 1) {
        throw new IllegalStateException("@FrpcHandler " + type.getName() + " declares instances="
            + handler.instances() + "; it must be at least 1");
      }
      if (handler.instances() > 1 && !beanFactory.isPrototype(beanName)) {
        throw new IllegalStateException("@FrpcHandler " + type.getName() + " declares instances="
            + handler.instances() + " but bean '" + beanName + "' is not prototype-scoped, so the instances would"
            + " share one object; declare it with @Scope(\"prototype\") or let component scanning pick it up");
      }
      int capacity = handler.mailboxCapacity() > 0 ? handler.mailboxCapacity() : defaultMailboxCapacity;
      for (int i = 0; i < handler.instances(); i++) {
        builder.instance(handler.module(), handler.instanceName(), beanFactory.getBean(beanName), type,
            handler.concurrent(), capacity);
      }
    }
    return builder.build(codec, workers);
  }
}
