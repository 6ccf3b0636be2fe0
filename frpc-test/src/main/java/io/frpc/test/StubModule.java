package io.frpc.test;

import io.frpc.internal.module.FunctionHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** One module of an {@link FrpcStub}: its commands are the stub's answer functions. */
final class StubModule implements FunctionHandler {

  private final String module;
  private final Map<String, Function<List<Object>, ?>> answers;
  private final BiConsumer<String, List<Object>> received;

  /** @param received told {@code module.command} and the arguments of every call, before it is answered */
  StubModule(String module, Map<String, Function<List<Object>, ?>> answers,
      BiConsumer<String, List<Object>> received) {
    this.module = module;
    this.answers = answers;
    this.received = received;
  }

  @Override
  public Set<String> commandNames() {
    return answers.keySet();
  }

  @Override
  public Object run(String command, List<Object> arguments) throws Exception {
    received.accept(module + "." + command, arguments);
    try {
      return answers.get(command).apply(arguments);
    } catch (FrpcStub.StubFailure failure) {
      throw (Exception) failure.getCause();
    }
  }
}
