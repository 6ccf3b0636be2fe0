package io.frpc.test.autoconfigure;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with one module, a typed client of it and a bean the slice leaves out. */
@SpringBootApplication
public class SliceApplication {
}
