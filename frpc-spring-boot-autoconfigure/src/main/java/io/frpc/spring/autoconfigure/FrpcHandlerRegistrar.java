package io.frpc.spring.autoconfigure;

import io.frpc.FrpcInstance;
import io.frpc.HandlerDefinition;
import io.frpc.spring.FrpcHandler;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Turns the {@link FrpcHandler} beans of the context into handler definitions whose instances Spring
 * creates, and hands each instance being created its {@link FrpcInstance}.
 */
final class FrpcHandlerRegistrar {

  private final ConfigurableListableBeanFactory beanFactory;
  /** The identity of the handler instance the current thread is creating, for injection. */
  private final ThreadLocal<FrpcInstance> creating = new ThreadLocal<>();

  FrpcHandlerRegistrar(ConfigurableListableBeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  /** One definition per {@link FrpcHandler} bean, in registration order; instances are created on start. */
  List<HandlerDefinition> definitions() {
    List<HandlerDefinition> definitions = new ArrayList<>();
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
      definitions.add(new HandlerDefinition(handler.module(), handler.instanceName(), handler.instances(),
          handler.concurrent(), Math.max(0, handler.mailboxCapacity()), type, self -> create(beanName, self),
          handler.nonBlocking(), List.of(handler.contract())));
    }
    return definitions;
  }

  private Object create(String beanName, FrpcInstance self) {
    creating.set(self);
    try {
      return beanFactory.getBean(beanName);
    } finally {
      creating.remove();
    }
  }

  /** The instance being created on this thread. */
  FrpcInstance instanceBeingCreated() {
    FrpcInstance instance = creating.get();
    if (instance == null) {
      throw new IllegalStateException("FrpcInstance can only be injected into @FrpcHandler beans, which frpc "
          + "creates when the node starts; inject FrpcNode to learn this node's id elsewhere");
    }
    return instance;
  }
}
