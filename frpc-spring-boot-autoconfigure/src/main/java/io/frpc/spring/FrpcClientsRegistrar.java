package io.frpc.spring;

import io.frpc.client.FrpcClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers one {@link FrpcClientFactoryBean} per {@link FrpcClient} interface: those in the packages of
 * {@link EnableFrpcClients}, or, when imported by the auto-configuration, those in the application's
 * packages. Each is registered once, as {@code frpcClient.<interface name>}: an interface both scans find is
 * registered by the first. Not for direct use: public because the auto-configuration imports it too.
 */
public final class FrpcClientsRegistrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware,
    ResourceLoaderAware, EnvironmentAware {

  private BeanFactory beanFactory;
  private ResourceLoader resourceLoader;
  private Environment environment;

  @Override
  public void setResourceLoader(ResourceLoader resourceLoader) {
    this.resourceLoader = resourceLoader;
  }

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  private ClassLoader beanClassLoader() {
    return beanFactory instanceof ConfigurableBeanFactory configurable && configurable.getBeanClassLoader() != null
        ? configurable.getBeanClassLoader() : getClass().getClassLoader();
  }

  @Override
  public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    Set<String> types = new LinkedHashSet<>();
    Map<String, Object> enable = metadata.getAnnotationAttributes(EnableFrpcClients.class.getName(), true);
    List<String> packages = new ArrayList<>();
    if (enable != null) {
      packages.addAll(List.of((String[]) enable.get("basePackages")));
      for (String client : (String[]) enable.get("clients")) {
        types.add(client);
      }
      if (packages.isEmpty() && types.isEmpty()) {
        packages.add(ClassUtils.getPackageName(metadata.getClassName()));
      }
    } else if (AutoConfigurationPackages.has(beanFactory)) {
      packages.addAll(AutoConfigurationPackages.get(beanFactory));
    }
    ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
      @Override
      protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
        return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
      }
    };
    // the interface itself must carry @FrpcClient: one extending a client is not a client of its own
    scanner.addIncludeFilter(new AnnotationTypeFilter(FrpcClient.class, false, false));
    // the application's class loader, which is not always this class's
    scanner.setResourceLoader(resourceLoader);
    scanner.setEnvironment(environment);
    for (String base : packages) {
      for (BeanDefinition candidate : scanner.findCandidateComponents(base)) {
        types.add(candidate.getBeanClassName());
      }
    }
    for (String type : types) {
      String name = "frpcClient." + type;
      if (!registry.containsBeanDefinition(name)) {
        Class<?> client = ClassUtils.resolveClassName(type, beanClassLoader());
        RootBeanDefinition definition = new RootBeanDefinition(FrpcClientFactoryBean.class);
        definition.setTargetType(ResolvableType.forClassWithGenerics(FrpcClientFactoryBean.class, client));
        definition.getConstructorArgumentValues().addGenericArgumentValue(client);
        definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, client);
        registry.registerBeanDefinition(name, definition);
      }
    }
  }
}
