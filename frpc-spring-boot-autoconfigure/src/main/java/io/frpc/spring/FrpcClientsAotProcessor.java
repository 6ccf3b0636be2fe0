package io.frpc.spring;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;

/**
 * Ahead-of-time processing of typed client beans: registers the JDK proxy of each {@code @FrpcClient}
 * interface and reflection on its methods (whose annotations are read when the client is made), so the
 * clients work in an AOT-processed application and a native image.
 */
final class FrpcClientsAotProcessor implements BeanRegistrationAotProcessor {

  @Override
  public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean bean) {
    if (bean.getBeanClass() != FrpcClientFactoryBean.class) {
      return null;
    }
    Class<?> client = bean.getBeanType().getGeneric(0).resolve();
    if (client == null) {
      return null;
    }
    return (generationContext, code) -> {
      generationContext.getRuntimeHints().proxies().registerJdkProxy(client);
      generationContext.getRuntimeHints().reflection().registerType(client, MemberCategory.INVOKE_PUBLIC_METHODS);
    };
  }
}
