package io.frpc.test.autoconfigure;

import org.springframework.stereotype.Service;

/** Not an frpc bean: an {@code @FrpcTest} leaves it out. */
@Service
public class UnrelatedService {
}
