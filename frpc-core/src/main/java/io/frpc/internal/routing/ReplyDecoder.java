package io.frpc.internal.routing;

import io.frpc.FrpcException;
import io.frpc.InstanceReply;
import io.frpc.NodeId;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.ReplyBindingException;
import io.frpc.internal.protocol.BroadcastItem;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.InboundResponse;
import io.frpc.internal.protocol.Payload;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RemoteError;
import io.frpc.internal.protocol.ResponseStatus;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;

/** Turns a reply into the caller's result type, or into the typed exception it carries. */
@FunctionalInterface
public interface ReplyDecoder<R> {

  /** Decodes {@code response} and releases its body. */
  R decode(NodeId node, InboundResponse response);

  /** The command's value, for balance and mod calls. */
  static <T> ReplyDecoder<T> value(PayloadCodec codec, ObjectReader reader) {
    return (node, response) -> {
      try {
        return switch (response.status()) {
          case ResponseStatus.OK -> read(codec, reader, node, response.body());
          case ResponseStatus.ERROR -> throw error(codec, node, response.body());
          default -> throw new FrpcException("unexpected broadcast reply from " + node + " to a single-instance call");
        };
      } finally {
        response.body().release();
      }
    };
  }

  /** One reply per instance, for broadcast calls. */
  static <T> ReplyDecoder<List<InstanceReply<T>>> broadcast(PayloadCodec codec, ObjectReader reader) {
    return (node, response) -> {
      try {
        return broadcastReplies(codec, reader, node, response);
      } finally {
        response.body().release();
      }
    };
  }

  private static <T> List<InstanceReply<T>> broadcastReplies(PayloadCodec codec, ObjectReader reader, NodeId node,
      InboundResponse response) {
    return switch (response.status()) {
      case ResponseStatus.BROADCAST -> {
        List<InstanceReply<T>> replies = new ArrayList<>();
        for (BroadcastItem item : Frames.readBroadcast(response.body())) {
          if (item.status() == ResponseStatus.OK) {
            replies.add(new InstanceReply<>(item.index(), item.instanceName(),
                ReplyDecoder.<T>read(codec, reader, node, item.body()), null));
          } else {
            replies.add(new InstanceReply<>(item.index(), item.instanceName(), null, error(codec, node, item.body())));
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
      throw new ReplyBindingException(node, reader.getValueType(), e.getOriginalMessage(), e);
    }
  }

  /** The exception an error reply carries. */
  static RemoteCallException error(PayloadCodec codec, NodeId node, Payload body) {
    RemoteError error;
    try {
      error = codec.readControl(body, RemoteError.class);
    } catch (JacksonException e) {
      return new RemoteCallException(node, RemoteErrorCode.UNKNOWN, null, "unreadable error reply: "
          + e.getOriginalMessage(), null);
    }
    return error.toException(node);
  }
}
