package lumen.chat.jinja.builtins;

import java.time.LocalDateTime;

/** C-locale {@code strftime} for the directives chat templates use (strftime_now). */
public final class Strftime {
    private Strftime() {}

    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"};

    public static String format(LocalDateTime t, String fmt) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                sb.append(c);
                continue;
            }
            char d = fmt.charAt(++i);
            boolean noPad = false;
            if (d == '-' && i + 1 < fmt.length()) {
                noPad = true;
                d = fmt.charAt(++i);
            }
            switch (d) {
                case 'Y' -> sb.append(t.getYear());
                case 'y' -> sb.append(pad(t.getYear() % 100, 2, noPad));
                case 'm' -> sb.append(pad(t.getMonthValue(), 2, noPad));
                case 'd' -> sb.append(pad(t.getDayOfMonth(), 2, noPad));
                case 'e' -> sb.append(noPad ? Integer.toString(t.getDayOfMonth()) : String.format("%2d", t.getDayOfMonth()));
                case 'H' -> sb.append(pad(t.getHour(), 2, noPad));
                case 'I' -> sb.append(pad((t.getHour() + 11) % 12 + 1, 2, noPad));
                case 'M' -> sb.append(pad(t.getMinute(), 2, noPad));
                case 'S' -> sb.append(pad(t.getSecond(), 2, noPad));
                case 'f' -> sb.append(String.format("%06d", t.getNano() / 1000));
                case 'j' -> sb.append(pad(t.getDayOfYear(), 3, noPad));
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'a' -> sb.append(DAYS[t.getDayOfWeek().getValue() - 1].substring(0, 3));
                case 'A' -> sb.append(DAYS[t.getDayOfWeek().getValue() - 1]);
                case 'b', 'h' -> sb.append(MONTHS[t.getMonthValue() - 1].substring(0, 3));
                case 'B' -> sb.append(MONTHS[t.getMonthValue() - 1]);
                case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
                case 'u' -> sb.append(t.getDayOfWeek().getValue());
                case 'D' -> sb.append(format(t, "%m/%d/%y"));
                case 'F' -> sb.append(format(t, "%Y-%m-%d"));
                case 'T' -> sb.append(format(t, "%H:%M:%S"));
                case 'R' -> sb.append(format(t, "%H:%M"));
                case 'c' -> sb.append(format(t, "%a %b %e %H:%M:%S %Y"));
                case 'x' -> sb.append(format(t, "%m/%d/%y"));
                case 'X' -> sb.append(format(t, "%H:%M:%S"));
                case 'Z', 'z' -> { }
                case '%' -> sb.append('%');
                default -> sb.append('%').append(d);
            }
        }
        return sb.toString();
    }

    private static String pad(int v, int width, boolean noPad) {
        String s = Integer.toString(v);
        return noPad ? s : "0".repeat(Math.max(0, width - s.length())) + s;
    }
}
