package xiio.bench.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Answers every request the way a tuned Netty hello server does (the TechEmpower
 * shape): straight off {@code HttpServerCodec}'s {@link HttpRequest}, no aggregator,
 * a pre-encoded body shared by all responses, header names as constants, and one
 * flush per batch of reads, so pipelined answers leave in one write. {@code /} is the
 * hello page (GET, HEAD); anything else is a short 404.
 */
@Sharable
final class NettyHelloHandler extends ChannelInboundHandlerAdapter {
    // Spelled as the xiio example spells them: Netty's own constants are lower case.
    private static final AsciiString DATE = AsciiString.cached("Date");
    private static final AsciiString SERVER = AsciiString.cached("Server");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString CONNECTION = AsciiString.cached("Connection");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString SERVER_NAME = AsciiString.cached(HelloPage.SERVER);
    private static final AsciiString HTML = AsciiString.cached(HelloPage.CONTENT_TYPE);
    private static final AsciiString TEXT = AsciiString.cached("text/plain; charset=utf-8");

    private static final ByteBuf HELLO = constant(HelloPage.BODY);
    private static final ByteBuf NOT_FOUND = constant("404 Not Found\n".getBytes(StandardCharsets.UTF_8));
    private static final AsciiString HELLO_LENGTH = AsciiString.of(Integer.toString(HelloPage.BODY.length));
    private static final AsciiString NOT_FOUND_LENGTH = AsciiString.of(Integer.toString(NOT_FOUND.readableBytes()));

    // The values above are valid by construction; validating them per response is wasted work.
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private final Supplier<AsciiString> date;

    /** {@code date} gives the current Date header value (refreshed once a second by the server). */
    NettyHelloHandler(Supplier<AsciiString> date) {
        this.date = date;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) answer(ctx, req);
            // request bodies (HttpContent) are dropped: the hello page has no use for them
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest req) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        boolean hello = req.uri().equals("/") && (head || req.method().equals(HttpMethod.GET));
        ByteBuf body = hello ? HELLO : NOT_FOUND;
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                hello ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                head ? Unpooled.EMPTY_BUFFER : body.duplicate(), HEADERS, TRAILERS);
        HttpHeaders h = res.headers();
        h.set(DATE, date.get());
        h.set(SERVER, SERVER_NAME);
        h.set(CONTENT_TYPE, hello ? HTML : TEXT);
        h.set(CONTENT_LENGTH, hello ? HELLO_LENGTH : NOT_FOUND_LENGTH);
        if (HttpUtil.isKeepAlive(req)) {
            ctx.write(res, ctx.voidPromise());
        } else {
            h.set(CONNECTION, CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset peer or a malformed request: nothing to answer
    }

    private static ByteBuf constant(byte[] bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }
}
