package io.frpc.spring;

import io.frpc.FrpcTemplate;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartFactoryBean;

/**
 * The bean of one {@link io.frpc.client.FrpcClient} interface: {@link FrpcTemplate#client(Class)}, created
 * eagerly so an invalid interface fails the start-up.
 *
 * @param <T> the client interface
 */
final class FrpcClientFactoryBean<T> implements SmartFactoryBean<T>, BeanFactoryAware {

  private final Class<T> type;
  private BeanFactory beanFactory;

  FrpcClientFactoryBean(Class<T> type) {
    this.type = type;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public T getObject() {
    return beanFactory.getBean(FrpcTemplate.class).client(type);
  }

  @Override
  public Class<?> getObjectType() {
    return type;
  }

  @Override
  public boolean isEagerInit() {
    return true;
  }
}
