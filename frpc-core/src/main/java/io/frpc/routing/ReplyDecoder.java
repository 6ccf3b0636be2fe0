package io.frpc.routing;

import io.frpc.FrpcException;
import io.frpc.InstanceReply;
import io.frpc.NodeId;
import io.frpc.OverloadedException;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.protocol.BroadcastItem;
import io.frpc.protocol.Frames;
import io.frpc.protocol.InboundResponse;
import io.frpc.protocol.Payload;
import io.frpc.protocol.PayloadCodec;
import io.frpc.protocol.RemoteError;
import io.frpc.protocol.ResponseStatus;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;

/** Turns a reply into the caller's result type, or into the typed exception it carries. */
@FunctionalInterface
public interface ReplyDecoder<R> {

  R decode(NodeId node, InboundResponse response);

  /** The command's value, for balance and mod calls. */
  static <T> ReplyDecoder<T> value(PayloadCodec codec, ObjectReader reader) {
    return (node, response) -> switch (response.status()) {
      case ResponseStatus.OK -> read(codec, reader, node, response.body());
      case ResponseStatus.ERROR -> throw error(codec, node, response.body());
      default -> throw new FrpcException("unexpected broadcast reply from " + node + " to a single-instance call");
    };
  }

  /** One reply per instance, for broadcast calls. */
  static <T> ReplyDecoder<List<InstanceReply<T>>> broadcast(PayloadCodec codec, ObjectReader reader) {
    return (node, response) -> switch (response.status()) {
      case ResponseStatus.BROADCAST -> {
        List<InstanceReply<T>> replies = new ArrayList<>();
        for (BroadcastItem item : Frames.readBroadcast(response.body())) {
          if (item.status() == ResponseStatus.OK) {
            replies.add(new InstanceReply<>(item.index(), item.instanceName(),
                ReplyDecoder.<T>read(codec, reader, node, item.body()), null));
          } else {
            FrpcException error = error(codec, node, item.body());
            RemoteCallException remote = error instanceof RemoteCallException r ? r
                : new RemoteCallException(node, RemoteErrorCode.OVERLOADED, null, error.getMessage(), null);
            replies.add(new InstanceReply<>(item.index(), item.instanceName(), null, remote));
          }
        }
        yield List.copyOf(replies);
      }
      case ResponseStatus.ERROR -> throw error(codec, node, response.body());
      default -> throw new FrpcException("unexpected single reply from " + node + " to a broadcast call");
    };
  }

  private static <T> T read(PayloadCodec codec, ObjectReader reader, NodeId node, Payload body) {
    try {
      return codec.readValue(body, reader);
    } catch (JacksonException e) {
      throw new FrpcException("reply from " + node + " does not bind to " + reader.getValueType() + ": "
          + e.getOriginalMessage(), e);
    }
  }

  private static FrpcException error(PayloadCodec codec, NodeId node, Payload body) {
    RemoteError error = codec.readControl(body, RemoteError.class);
    if (error.code() == RemoteErrorCode.OVERLOADED) {
      return new OverloadedException(node, error.message());
    }
    return new RemoteCallException(node, error.code(), error.type(), error.message(), error.stackTrace());
  }
}
