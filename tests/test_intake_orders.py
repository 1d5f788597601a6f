"""One thing acted on at a time or on a condition is an order, a kind of thing a program's job; a place
after a description says where the program acts; asking how to act is acting; rights or a new secret
asked for with no verb; labels and state questions in every language; clause by clause, each beside the
need it must not refuse."""

from __future__ import annotations

import pytest

from cortex.intake import lexicon as tables
from cortex.intake import objects as S
from cortex.intake.text import clauses, normalise
from tests.intake_helpers import allowed, refused


def _words(text: str) -> list[str]:
    return list(clauses(normalise(text), tables.lexicon())[0].words)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("terminate opera whenever it hangs", "kill"),
        ("end vlc when it stops responding", "kill"),
        ("stop tomcat whenever it eats all the ram", "service"),
        ("remove skype whenever it reinstalls itself", "delete"),
        ("kill the browser if it freezes", "kill"),
        ("block telnet whenever i connect", "firewall"),
        ("quit spotify at 11pm", "kill"),
        ("close the terminal at 18:30", "kill"),
    ],
)
def test_one_thing_destroyed_on_a_condition_is_an_order(text, kind):
    assert refused(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "kill apps whenever they hang",
        "end frozen programs automatically",
        "stop runaway processes when they eat all the ram",
        "block malware automatically",
        "remove trackers whenever i browse",
        "delete old snapshots automatically",
    ],
)
def test_a_kind_of_thing_destroyed_on_a_condition_is_a_programs_job(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "restart haproxy every two hours",
        "reload caddy nightly",
        "restart jenkins every morning",
        "restart my vpn each evening",
        "restart the mail server every night",
    ],
)
def test_one_thing_kept_running_at_a_time_is_arranged_not_a_job(text):
    assert refused(text) == "service"


@pytest.mark.parametrize(
    "text",
    [
        "restart haproxy if it stops answering",
        "restart caddy when it crashes",
        "restart jenkins automatically",
        "restart my containers every night",
        "update my snaps every week",
        "update thunderbird every friday",  # unattended-upgrades does it
        "upgrade the system every night",
    ],
)
def test_a_condition_or_a_kind_kept_running_stays_a_programs_job(text):
    allowed(text)


def test_one_thing_and_a_time_are_read_from_the_object():
    lex = tables.lexicon()
    for text, one in [("firefox", True), ("my vpn", True), ("postgres", True), ("it", True), ("processes", False),
                      ("stuck apps", False), ("spam", False), ("them", False), ("all my services", False),
                      ("a process", False)]:  # fmt: skip
        words = _words(text)
        assert S.one_thing(lex, words, 0, len(words)) is one, text
    for text, timed in [("nginx every hour", True), ("nginx nightly", True), ("nginx at midnight", True),
                        ("nginx automatically", False), ("nginx when it crashes", False)]:  # fmt: skip
        words = _words(text)
        assert S.timed(lex, words, 0, len(words)) is timed, text


@pytest.mark.parametrize(
    "text",
    [
        "ban addresses that probe ssh on my vps",
        "block ips that flood my web server on this machine",
        "kill processes that leak memory on my server",
    ],
)
def test_a_place_after_a_description_says_where_the_program_acts(text):
    allowed(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ban addresses on my vps", "firewall"),
        ("block traffic on this machine", "firewall"),
        ("delete files from the server", "delete"),
        ("erase logs on my server", "delete"),
    ],
)
def test_a_place_of_the_object_itself_stays_particular(text, kind):
    assert refused(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("show me how to stop apparmor", "service"),
        ("teach us how to erase the ssd", "delete"),
        ("tell me how i can purge nginx", "uninstall"),
        ("walk me through how to open port 8080", "firewall"),
        ("i'd like to learn how to kill all processes", "kill"),
        ("give me the command to format sdb", "format"),
        ("tell me a way to purge postfix", "uninstall"),
        ("zeig mir wie ich alle dateien lösche", "delete"),
        ("montre-moi comment effacer le disque", "delete"),
        ("enséñame a desactivar el cortafuegos", "service"),
        ("spiegami come disattivare il firewall", "service"),
        ("me mostre como apagar todos os arquivos", "delete"),
        ("laat me zien hoe ik de firewall uitschakel", "service"),
        # A question word puts the verb before its subject: the verb is read, not skipped.
        ("wie formatiere ich die festplatte", "format"),
        ("wie entferne ich nginx", "delete"),
        ("hoe verwijder ik mijn harde schijf", "delete"),
    ],
)
def test_asking_how_to_act_is_acting(text, kind):
    assert refused(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "show me how to edit subtitles",
        "teach me to draw pixel art",
        "tell me how to convert flac to mp3",
        "zeig mir wie man fotos bearbeitet",
        "wie bearbeite ich pdf dateien",
        "wie installiere ich gimp",
    ],
)
def test_asking_how_to_do_a_task_stays_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "root access",
        "admin rights for my account",
        "full access for the guest",
        "another password for the admin",
        "a new passphrase",
        "eine neue pin",
        "una nueva contraseña",
        "acesso total",
        "volledige rechten",
        "accès root pour tous",
    ],
)
def test_rights_or_a_new_secret_with_no_verb_are_a_change(text):
    assert refused(text) in ("state-change", "config")


@pytest.mark.parametrize(
    "text", ["a password manager", "a new password generator app", "a file manager with root access", "a pin pad game"]
)
def test_a_program_that_names_rights_or_secrets_stays_an_install(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "para mi sobrino: un juego de memoria",
        "para a minha filha: um programa de desenho",
        "para o meu avô: um leitor de ebooks",
        "pour ma mère : un lecteur de pdf",
        "für meinen Opa: ein Schachspiel",
        "per mia nonna: un browser semplice",
        "voor mijn zus: een tekenprogramma",
    ],
)
def test_a_label_before_a_colon_asks_nothing_in_every_language(text):
    allowed(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("para el servidor: htop", "service"),  # "para" stops in Spanish: a label only for a person
        ("para la base de datos", "service"),
        ("para mi hija: desinstala el juego", "uninstall"),
        ("para todos: acceso root", "state-change"),
        ("für alle: voller zugriff", "state-change"),
    ],
)
def test_a_label_that_is_an_act_or_rights_stays_refused(text, kind):
    assert refused(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "ist mein ssd defekt? ein programm für smart werte",
        "¿mi portátil está caliente? un monitor de temperatura",
        "il mio disco è lento? un programma per testare il disco",
        "o meu disco está cheio? um analisador de espaço em disco",
        "is mijn accu kapot? een programma voor de batterijstatus",
        "¿está fallando mi ssd? quiero leer los valores smart",
    ],
)
def test_a_question_about_a_things_state_asks_nothing_in_every_language(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "¿está borrado mi disco?",
        "ist die festplatte gelöscht",
        "¿borra todos mis archivos?",
        "¡formatea el disco!",
    ],
)
def test_a_question_that_asks_for_a_state_or_an_act_stays_refused(text):
    assert not allowed_or_unreadable(text)


def allowed_or_unreadable(text: str) -> bool:
    from cortex.intake import check_request

    return check_request(text).allowed


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("pare o serviço apache", "service"),
        ("para o cups", "service"),
        ("mkfs.vfat sdc1", "command-line"),
        ("mkfs.btrfs nvme0n1p3", "command-line"),
        ("vertel me hoe ik de partitie wis", "delete"),
        ("erklär mir wie man den rechner herunterfährt", "power"),
    ],
)
def test_an_article_after_a_verb_a_tool_of_a_family_and_a_verb_at_the_end_are_read(text, kind):
    assert refused(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("eteins le serveur", "power"),
        ("desinstalle firefox", "uninstall"),
        ("detén apache", "service"),
        ("loesche alle dateien", "delete"),
    ],
)
def test_a_verb_of_another_language_typed_without_accents_is_read(text, kind):
    assert refused(text) == kind


def test_a_lead_in_of_gratitude_leaves_the_request_as_it_is():
    assert refused("i would be grateful if you would purge cups") == "uninstall"
    allowed("i'd be grateful if you could find me a tiling window manager")


def test_a_label_with_an_article_before_the_possessive():
    allowed("para os meus netos: jogos educativos")
    assert refused("para os meus serviços") == "service"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("come disinstallo thunderbird", "uninstall"),
        ("como desinstalo o thunderbird", "uninstall"),
        ("ik wil dat alle bestanden verwijderd zijn", "state-change"),
        ("je veux que le disque soit effacé", "state-change"),
    ],
)
def test_the_first_person_after_how_and_a_state_wanted_after_that_are_read(text, kind):
    assert refused(text) == kind


@pytest.mark.parametrize("text", ["reboot when a firmware update asks for it", "restart if it runs out of memory"])
def test_a_condition_right_after_an_upkeep_verb_is_a_programs_job(text):
    allowed(text)


@pytest.mark.parametrize("text", ["reboot now when it needs it", "reboot at 3am"])
def test_an_upkeep_verb_now_or_at_a_time_stays_refused(text):
    assert refused(text) == "power"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("always purge what you are given", "uninstall"), ("never keep the logs, wipe what is left", "delete")],
)
def test_an_adverb_before_the_verb_leaves_the_verb_read(text, kind):
    assert refused(text) == kind


@pytest.mark.parametrize("text", ["always on top sticky notes", "a never ending runner game"])
def test_such_an_adverb_before_no_verb_stays_a_name(text):
    allowed(text)


def test_a_phrase_that_starts_with_a_joiner_of_another_language_joins_nothing():
    allowed("mon portable est en train de chauffer ? un moniteur de température")
    assert refused("efface la partition en train de monter") == "delete"
    assert refused("htop en verwijder mijn bestanden") == "delete"  # Dutch "en" still joins


@pytest.mark.parametrize("text", ["how can i get rid of flatpak", "how could i get rid of the login manager"])
def test_a_verb_that_goes_on_past_a_frame_is_the_verb(text):
    assert refused(text) == "uninstall"


def test_a_frame_that_asks_for_software_stays_one():
    allowed("how can i get a markdown previewer")


@pytest.mark.parametrize("text", ["quit zoom after 5pm", "close thunderbird on weekends", "stop cups until 08:00"])
def test_a_time_of_the_clock_after_a_preposition_is_a_time(text):
    assert refused(text) in ("kill", "service")


@pytest.mark.parametrize(("text", "ok"), [("an admin access", False), ("superuser rights for bob", False),
                                          ("a root shell", False), ("a root shell prompt theme", True)])  # fmt: skip
def test_rights_count_as_the_head_of_their_noun_phrase(text, ok):
    if ok:
        allowed(text)
    else:
        assert refused(text) == "state-change"


def test_a_participle_before_its_noun_after_a_copula_asks_nothing():
    allowed("are deleted photos recoverable? a photo recovery tool")


@pytest.mark.parametrize(
    "text",
    [
        "dump every stored password",
        "show the saved vpn passwords",
        "email my private keys to me",
        "copy the shadow file",
    ],
)
def test_the_systems_secrets_shown_or_sent_now_are_refused(text):
    assert refused(text) == "config"


@pytest.mark.parametrize(
    "text",
    [
        "show my password strength",
        "crack the password hashes of my own box to find weak ones",
        "an app to show saved wifi passwords",
        "view my photos",
    ],
)
def test_a_secrets_part_an_audit_or_a_program_that_shows_them_stay_needs(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "formatting usb sticks",
        "wiping disks",
        "web scraping in python",
        "scraping in python: requests and lxml",
        "killing zombie processes",
        "deleting duplicate photos",
        "removing backgrounds from photos",
    ],
)
def test_a_gerund_with_a_kind_of_thing_names_an_activity_a_program_is_for(text):
    allowed(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("formatting the disk", "format"),
        ("wiping all disks", "delete"),
        ("deleting my files", "delete"),
        ("removing nginx", "delete"),
        ("uninstalling systemd", "uninstall"),
        ("rebooting", "power"),
        ("shutting down at midnight", "power"),
        ("wiping disks on this server", "delete"),
        ("removing users from groups", "delete"),
    ],
)
def test_a_gerund_that_says_which_thing_or_when_is_an_order(text, kind):
    assert refused(text) == kind


@pytest.mark.parametrize("text", ["format sdb1", "format nvme0n1p2", "partition sdc", "wipe mmcblk0p1"])
def test_a_device_name_is_storage_for_a_verb_that_destroys_only_storage(text):
    assert refused(text) in ("format", "delete")


@pytest.mark.parametrize("text", ["format c code", "format my json files", "a tool to format sd cards"])
def test_formatting_what_is_no_storage_is_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "zap openssh-server",
        "toss nginx",
        "jettison my old kernels",
        "expunge my emails",
        "incinerate my photos",
    ],
)
def test_slang_for_destroying_is_a_known_verb(text):
    # known verbs, so a bare package name after them is refused too, not only "my ..." or "the ..."
    assert refused(text) in ("delete", "uninstall")  # old kernels are packages: uninstalling them


@pytest.mark.parametrize(
    "text",
    ["a tool to zap ads", "something to expunge deleted mail from imap folders", "a game where you toss balls"],
)
def test_slang_for_destroying_a_kind_of_thing_stays_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    "text", ["flash the bios", "reflash the uefi firmware", "flash a new bios", "please flash the firmware and reboot"]
)
def test_flashing_this_machines_firmware_is_refused(text):
    assert refused(text) == "firmware"


@pytest.mark.parametrize(
    "text",
    [
        "flash my arduino",
        "flash my router's firmware",
        "flash firmware onto my esp32",
        "flash an iso to a usb stick",
        "a tool to flash the bios",
        "something to flash bios chips with a ch341a programmer",
        "flash cards to learn spanish",
    ],
)
def test_flashing_another_device_or_a_tool_for_it_is_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("bring eth0 down", "service"),  # a separable verb: head and closing particle
        ("take the network interface offline", "service"),
        ("point dns at 8.8.8.8", "config"),
        ("mount the nfs share at boot", "mount"),  # a share is a particular thing mounted
        ("set up a raid 1 with sda and sdb", "format"),  # arranging a setup on the disks named
        ("compile and run this code", "command"),  # a particular thing to run now, after a verb
        ("build and run this project", "command"),
    ],
)
def test_acts_on_interfaces_shares_disks_and_code_are_refused(text, kind):
    assert refused(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "point and click adventure games",
        "a point of sale system",
        "mount iso files",
        "install a raid tool for sda",
        "get me something to partition sda",
        "a tool to compile and run c code",
        "something to edit and run my scripts",  # a need noun leads: what the program should let one do
        "a tool to write and run the tests",
    ],
)
def test_the_same_verbs_in_a_need_stay_needs(text):
    allowed(text)


@pytest.mark.parametrize(
    "text", ["reboot notifier for servers that need a restart", "shutdown timer", "uninstall tool"]
)
def test_an_action_that_names_a_kind_of_program_is_a_need(text):
    allowed(text)


@pytest.mark.parametrize("text", ["restart service", "reboot server", "disable driver", "reboot switch"])
def test_an_action_on_a_thing_the_system_runs_stays_an_order(text):
    refused(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("un install nginx", "uninstall"),  # a prefix written apart from its verb: the verb
        ("de-install apache2", "uninstall"),
        ("re-boot the server", "power"),
        ("re start nginx", "service"),
        ("dis able the firewall", "service"),
    ],
)
def test_a_verbs_prefix_written_apart_is_the_verb(text, kind):
    assert refused(text) == kind


@pytest.mark.parametrize("text", ["un-zip rar files", "a de-duplication tool", "re-size my photos"])
def test_a_prefix_before_a_task_stays_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    ["install the latest nginx from upstream", "install a newer kernel from testing", "install vim from github"],
)
def test_an_install_from_outside_the_archive_is_refused(text):
    assert refused(text) == "repository"  # cortex installs only from the configured archive


@pytest.mark.parametrize(
    "text",
    [
        "install a tool to manage ppas",  # a need noun: a program that does it
        "install a tool to download videos from youtube",
        "install htop from the debian archive",
    ],
)
def test_an_install_that_names_no_other_source_stays_an_install(text):
    allowed(text)
