#!/usr/bin/python3
"""The desktop's file chooser, answered by a test.

The app's save and open dialogs are GTK's native file chooser (tauri-plugin-dialog → rfd →
GtkFileChooserNative). Started with GTK_USE_PORTAL=1, GTK asks the desktop portal on the
session bus (org.freedesktop.portal.FileChooser) instead of drawing its own dialog, which
WebKitWebDriver cannot answer. This process is that portal on the test's private session bus:
each OpenFile or SaveFile takes the next answer the test queued and replies as the portal does —
a Response signal on the request's object path with the chosen file's URI.

Protocol (JSON lines): stdin takes {"answer": PATH} (a file; for SaveFile an existing folder
means that folder and the name the app proposed) or {"answer": null} (the person cancels);
stdout says {"ready": true} once the name is owned, {"queued": N} for each answer taken, and one
line per request:
{"method", "title", "current_name", "filters": [[name, [pattern…]]…], "answer"}.
GTK_USE_PORTAL=1 sends GIO to the portal too, for the proxy of every connection (WebKitWebDriver's
to the app among them) and the network's state: those are answered as a desktop without a proxy
and with the network up would. Python's GObject bindings (python3-gi) only; it ends when stdin
closes.
"""

import json
import os
import sys

import gi

gi.require_version("Gio", "2.0")
gi.require_version("GLib", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

BUS_NAME = "org.freedesktop.portal.Desktop"
OBJECT_PATH = "/org/freedesktop/portal/desktop"
INTERFACE = """
<node>
  <interface name="org.freedesktop.portal.FileChooser">
    <method name="OpenFile">
      <arg type="s" name="parent_window" direction="in"/>
      <arg type="s" name="title" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <method name="SaveFile">
      <arg type="s" name="parent_window" direction="in"/>
      <arg type="s" name="title" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <property name="version" type="u" access="read"/>
  </interface>
  <interface name="org.freedesktop.portal.ProxyResolver">
    <method name="Lookup">
      <arg type="s" name="uri" direction="in"/>
      <arg type="as" name="proxies" direction="out"/>
    </method>
    <property name="version" type="u" access="read"/>
  </interface>
  <interface name="org.freedesktop.portal.NetworkMonitor">
    <method name="GetAvailable"><arg type="b" name="available" direction="out"/></method>
    <method name="GetMetered"><arg type="b" name="metered" direction="out"/></method>
    <method name="GetConnectivity"><arg type="u" name="connectivity" direction="out"/></method>
    <method name="CanReach">
      <arg type="s" name="hostname" direction="in"/>
      <arg type="u" name="port" direction="in"/>
      <arg type="b" name="reachable" direction="out"/>
    </method>
    <signal name="changed"/>
    <property name="version" type="u" access="read"/>
  </interface>
</node>
"""

answers = []
loop = GLib.MainLoop()


def say(message):
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def request_path(sender, token):
    """Where GTK waits for the answer: …/request/SENDER/TOKEN (SENDER without ':', '.' → '_')."""
    return f"{OBJECT_PATH}/request/{sender.lstrip(':').replace('.', '_')}/{token}"


def chosen(method, options):
    answer = answers.pop(0) if answers else None
    if answer is None:
        return None
    if method == "SaveFile" and os.path.isdir(answer):
        return os.path.join(answer, options.get("current_name", "file"))
    return answer


def on_network(method, invocation):
    """A proxy-free desktop with the network up (GIO asks the portal under GTK_USE_PORTAL=1)."""
    replies = {
        "Lookup": GLib.Variant("(as)", (["direct://"],)),
        "GetAvailable": GLib.Variant("(b)", (True,)),
        "GetMetered": GLib.Variant("(b)", (False,)),
        "GetConnectivity": GLib.Variant("(u)", (4,)),
        "CanReach": GLib.Variant("(b)", (True,)),
    }
    invocation.return_value(replies[method])


def on_call(connection, sender, _path, interface, method, parameters, invocation):
    if interface != "org.freedesktop.portal.FileChooser":
        return on_network(method, invocation)
    _parent, title, options = parameters.unpack()
    token = options.get("handle_token", "t")
    handle = request_path(sender, token)
    answer = chosen(method, options)
    filters = [[name, [pattern for _kind, pattern in rules]] for name, rules in options.get("filters", [])]
    say({"method": method, "title": title, "current_name": options.get("current_name"), "filters": filters, "answer": answer})
    invocation.return_value(GLib.Variant("(o)", (handle,)))

    def respond():
        if answer is None:
            body = GLib.Variant("(ua{sv})", (1, {}))
        else:
            uri = Gio.File.new_for_path(answer).get_uri()
            body = GLib.Variant("(ua{sv})", (0, {"uris": GLib.Variant("as", [uri])}))
        connection.emit_signal(sender, handle, "org.freedesktop.portal.Request", "Response", body)
        return GLib.SOURCE_REMOVE

    GLib.idle_add(respond)


VERSIONS = {"org.freedesktop.portal.FileChooser": 3, "org.freedesktop.portal.ProxyResolver": 1, "org.freedesktop.portal.NetworkMonitor": 2}


def on_property(_connection, _sender, _path, interface, name):
    return GLib.Variant("u", VERSIONS[interface]) if name == "version" else None


def on_bus(connection, _name):
    for info in Gio.DBusNodeInfo.new_for_xml(INTERFACE).interfaces:
        connection.register_object(OBJECT_PATH, info, on_call, on_property, None)


def on_name(_connection, _name):
    say({"ready": True})


def on_lost(_connection, name):
    sys.stderr.write(f"portal: could not own {name} on the session bus\n")
    loop.quit()


def on_input(channel, condition):
    if condition & (GLib.IO_HUP | GLib.IO_ERR):
        loop.quit()
        return False
    line = channel.readline()
    if not line:
        loop.quit()
        return False
    answers.append(json.loads(line)["answer"])
    say({"queued": len(answers)})
    return True


def main():
    Gio.bus_own_name(Gio.BusType.SESSION, BUS_NAME, Gio.BusNameOwnerFlags.NONE, on_bus, on_name, on_lost)
    stdin = GLib.IOChannel.unix_new(sys.stdin.fileno())
    GLib.io_add_watch(stdin, GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, on_input)
    loop.run()


if __name__ == "__main__":
    main()
