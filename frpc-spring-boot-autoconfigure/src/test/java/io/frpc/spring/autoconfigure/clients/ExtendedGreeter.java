package io.frpc.spring.autoconfigure.clients;

/** Extends a client without being one: scanning must not take it for a client of its own. */
public interface ExtendedGreeter extends GreeterClient {

  default String greetTwice(String who) {
    return greet(who) + ", " + greet(who);
  }
}
