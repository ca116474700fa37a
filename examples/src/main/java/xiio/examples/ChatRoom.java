package xiio.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The members of a chat by nickname, and broadcasting to them. Every member has a
 * bounded outbox (a {@link xiio.concurrent.Channel}); a broadcast offers the line to
 * each outbox without waiting, so one member that stops reading can never hold up
 * the others. <b>Policy: disconnect.</b> A member whose outbox is full when a line
 * arrives is removed from the room and disconnected, and the others are told why.
 * Disconnecting rather than dropping lines means nobody silently misses part of
 * the conversation: a member either sees all of it, in order, or is told it is gone
 * (IRC servers do the same with their "SendQ exceeded").
 *
 * <p>All of this runs on the loop's one thread, so the map needs no lock: nothing
 * here suspends.
 */
final class ChatRoom {
    private static final Pattern NICK = Pattern.compile("[A-Za-z0-9_-]{1,16}");

    private final Map<String, ChatSession> members = new LinkedHashMap<>();
    private int guests;

    /** Adds {@code s} under a fresh guest name, tells the others, and returns the name. */
    String join(ChatSession s) {
        String nick;
        do nick = "guest" + ++guests; while (members.containsKey(nick));
        members.put(nick, s);
        broadcast("* " + nick + " joined", s);
        return nick;
    }

    /** Removes {@code s} (if it is still a member) and tells the others why it left. */
    void leave(ChatSession s, String why) {
        if (members.remove(s.nick(), s)) broadcast("* " + s.nick() + " left" + why, s);
    }

    /** Renames {@code s}; returns null on success, else what was wrong with the name. */
    String rename(ChatSession s, String wanted) {
        if (!NICK.matcher(wanted).matches()) return "a nickname is 1 to 16 letters, digits, '_' or '-'";
        if (members.containsKey(wanted)) return wanted + " is taken";
        String old = s.nick();
        members.remove(old, s);
        members.put(wanted, s);
        broadcast("* " + old + " is now known as " + wanted, null);
        return null;
    }

    /** The nicknames, in the order they joined (or were last renamed). */
    List<String> nicks() {
        return List.copyOf(members.keySet());
    }

    /**
     * Offers {@code line} to every member but {@code except}, never waiting. Members
     * whose outbox is full are disconnected, after the loop (the map must not change
     * while we walk it), and the others hear about it; that notice may in turn find
     * another full outbox, which ends after at most one round per member.
     */
    void broadcast(String line, ChatSession except) {
        List<ChatSession> tooSlow = new ArrayList<>();
        for (ChatSession m : members.values()) {
            if (m != except && !m.offer(line)) tooSlow.add(m);
        }
        for (ChatSession m : tooSlow) {
            if (!members.remove(m.nick(), m)) continue;
            m.disconnect("too slow: " + m.queueCapacity() + " lines were waiting for it");
            broadcast("* " + m.nick() + " was disconnected (too slow to keep up)", null);
        }
    }
}
