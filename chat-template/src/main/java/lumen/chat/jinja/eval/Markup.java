package lumen.chat.jinja.eval;

/** A string marked safe (markupsafe.Markup): adding a plain string to it HTML-escapes that string. */
public record Markup(String text) {
    public static String escape(Object o) {
        if (o instanceof Markup m) {
            return m.text;
        }
        String s = Py.str(o);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
