package io.frpc.spring.autoconfigure;

import io.frpc.FrpcException;
import io.frpc.FrpcTemplate;
import io.frpc.internal.TypeReferences;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.pubsub.Channels;
import io.frpc.pubsub.StateUpdate;
import io.frpc.spring.FrpcSubscribe;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Function;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import tools.jackson.core.type.TypeReference;

/**
 * Subscribes every {@link FrpcSubscribe} method of the context's singleton beans once all singletons
 * exist (before the node starts, so no message of a node that connects at start-up is missed).
 */
final class FrpcSubscriptionRegistrar implements SmartInitializingSingleton {

  private final ConfigurableListableBeanFactory beanFactory;
  private final ObjectProvider<FrpcTemplate> template;

  FrpcSubscriptionRegistrar(ConfigurableListableBeanFactory beanFactory, ObjectProvider<FrpcTemplate> template) {
    this.beanFactory = beanFactory;
    this.template = template;
  }

  @Override
  public void afterSingletonsInstantiated() {
    for (String beanName : beanFactory.getBeanDefinitionNames()) {
      Class<?> type = beanFactory.getType(beanName, false);
      if (type == null || beanFactory.getBeanDefinition(beanName).isAbstract()) {
        continue;
      }
      Class<?> userType = ClassUtils.getUserClass(type);
      if (!AnnotationUtils.isCandidateClass(userType, FrpcSubscribe.class)) {
        continue; // java.* and the like cannot carry it: not introspected
      }
      Map<Method, FrpcSubscribe> methods = MethodIntrospector.selectMethods(userType,
          (MethodIntrospector.MetadataLookup<FrpcSubscribe>) method ->
              AnnotatedElementUtils.findMergedAnnotation(method, FrpcSubscribe.class));
      if (methods.isEmpty()) {
        continue;
      }
      if (!beanFactory.isSingleton(beanName)) {
        throw new IllegalStateException("@FrpcSubscribe on " + userType.getName() + " but bean '" + beanName
            + "' is not a singleton; subscriptions are made once per application, on singleton beans");
      }
      Object bean = beanFactory.getBean(beanName);
      methods.forEach((method, subscribe) -> subscribe(bean, AopUtils.selectInvocableMethod(method, bean.getClass()),
          method, subscribe));
    }
  }

  private void subscribe(Object bean, Method invocable, Method declared, FrpcSubscribe subscribe) {
    String where = "@FrpcSubscribe " + declared.getDeclaringClass().getSimpleName() + "." + declared.getName();
    if (declared.getParameterCount() != 1) {
      throw new IllegalStateException(where + " must take exactly one parameter: the payload, a ChannelMessage<T> "
          + "or (with state = true) a StateUpdate<T>");
    }
    ResolvableType parameter = ResolvableType.forMethodParameter(declared, 0);
    Class<?> wrapper = subscribe.state() ? StateUpdate.class : ChannelMessage.class;
    Class<?> otherWrapper = subscribe.state() ? ChannelMessage.class : StateUpdate.class;
    if (otherWrapper.equals(parameter.resolve())) {
      throw new IllegalStateException(where + " takes a " + otherWrapper.getSimpleName() + " but "
          + (subscribe.state() ? "watches state (state = true): take a StateUpdate<T>"
          : "subscribes to messages: take a ChannelMessage<T>, or set state = true"));
    }
    boolean wrapped = wrapper.equals(parameter.resolve());
    ResolvableType payload = wrapped ? parameter.getGeneric(0) : parameter;
    if (payload.resolve() == null) {
      throw new IllegalStateException(where + " must declare its payload type, e.g. "
          + wrapper.getSimpleName() + "<GameOver>");
    }
    ReflectionUtils.makeAccessible(invocable);
    Channels channels = template.getObject().channels(subscribe.node());
    if (subscribe.id() >= 0) {
      channels = channels.node(subscribe.id());
    }
    TypeReference<Object> payloadType = TypeReferences.of(payload.getType());
    try {
      if (subscribe.state()) {
        Function<StateUpdate<Object>, Object> argument = wrapped ? update -> update : StateUpdate::value;
        channels.watchState(subscribe.channel(), payloadType, update -> invoke(invocable, bean, argument.apply(update)));
      } else {
        Function<ChannelMessage<Object>, Object> argument = wrapped ? message -> message : ChannelMessage::payload;
        channels.subscribe(subscribe.channel(), payloadType, message -> invoke(invocable, bean, argument.apply(message)));
      }
    } catch (IllegalArgumentException | FrpcException e) {
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
  }

  private static void invoke(Method method, Object bean, Object argument) {
    try {
      method.invoke(bean, argument);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
