package io.frpc.sample.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Serves module {@code test_m} like the seed's cluster_server example. */
@SpringBootApplication
public class SampleServerApplication {

  public static void main(String[] args) {
    SpringApplication.run(SampleServerApplication.class, args);
  }
}
