package io.frpc.sample.client;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The seed's frpc_client example: calls module {@code test_m} of node {@code cluster_server} in every
 * mode, prints one line per case, and exits 0 only if every case behaved as specified. With
 * {@code sample.load.duration} it then drives load for that long ({@code ./demo.sh observability}).
 */
@SpringBootApplication
public class SampleClientApplication {

  public static void main(String[] args) throws InterruptedException {
    ConfigurableApplicationContext context = SpringApplication.run(SampleClientApplication.class, args);
    int failures = context.getBean(DemoScenario.class).failures();
    LoadGenerator load = context.getBeanProvider(LoadGenerator.class).getIfAvailable();
    if (load != null && failures == 0) {
      load.run();
    }
    System.exit(SpringApplication.exit(context, () -> failures == 0 ? 0 : 1));
  }
}
