"""Everyday requests that read like orders (a program's ongoing job, a question for a tool, a label, a
question about a device's health), each beside the order it must not let through; and the gaps closed
with them: an unknown verb that moves someone into a group, a rule required of accounts, a short verb of
another language alone."""

from __future__ import annotations

import pytest

from tests.intake_helpers import allowed, refused


@pytest.mark.parametrize(
    "text",
    [
        "plonk dave in sudoers",
        "shove me into the wheel group",
        "chuck the intern in the lpadmin group",
        "pop rita into the sudo group",
    ],
)
def test_an_unknown_verb_that_moves_someone_into_a_group_is_refused(text):
    assert refused(text) == "state-change"


@pytest.mark.parametrize(
    "text", ["stick figures in a drawing app", "htop in the terminal", "nginx in docker", "a tool for users in groups"]
)
def test_a_place_that_is_no_group_stays_an_install(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "require a hardware key for every account",
        "require users to change their password",
        "require sudo for everything",
        "demand two factor on each login",
    ],
)
def test_a_rule_required_of_accounts_is_policy(text):
    assert refused(text) == "policy"


@pytest.mark.parametrize(
    "text", ["require a markdown editor", "i require a pdf reader", "we require a good text editor"]
)
def test_requiring_a_program_stays_an_install(text):
    allowed(text)


@pytest.mark.parametrize("text", ["sluit thunderbird", "sluit alle vensters"])
def test_a_dutch_verb_of_closing_alone_is_refused(text):
    assert refused(text) == "kill"


@pytest.mark.parametrize(
    "text",
    [
        "rotate my application logs every night",
        "rotate log files each month",
        "copy my music to my phone every evening",
        "restart my web server if it stops answering",
        "update my flatpaks automatically",
        "reboot my box automatically when a kernel update needs it",
        "ban addresses that keep guessing ssh passwords",
        "alert me when my website stops responding",
        "warn us if the raid array degrades",
        "let me know when a backup fails",
        "adjust the color temperature of my monitor in the evening",
    ],
)
def test_a_job_done_over_and_over_or_on_a_condition_is_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "disable the firewall every evening",
        "turn off apparmor automatically",
        "enable telnet each morning",
        "chmod my documents every day",
        "set the root password each week",
        "ban user carol every day",
        "ban carol",
        "ban all addresses",
        "reboot the server every sunday",  # a reboot at a time is arranged, as "schedule a nightly reboot"
        "reboot now if it needs it",
        "delete my logs every night",
        "kill firefox each hour",
        "wipe the disk whenever i log out",
        "stop nginx every night",
        "encrypt all my documents every night",
        "rotate all my logs every week",
        "make my scripts executable every day",
        "alert the admins and delete the logs",
        "let me know how to turn off selinux",  # told of nothing that happens
        "upgrade to the testing release automatically",  # a release
        "reboot into windows when i log out",  # a place it goes
        "restart sshd with password login enabled every night",  # an action's participle
        "update my packages automatically as root",  # rights
        "update grub every boot",  # the boot configuration
        "move my documents to the trash every night",  # deleting them
    ],
)
def test_an_order_with_a_time_or_a_condition_stays_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "is my ssd wearing out? i want to read its smart values",
        "are my laptop fans ok? something to watch their speed",
        "does my cpu overheat? a temperature monitor",
    ],
)
def test_a_question_about_a_things_state_asks_nothing(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "is my disk erased yet? htop",  # an action's participle
        "is it fine to wipe the disk",  # what follows is read, the question asks nothing of it
        "is the firewall off? htop",  # a state wished for
        "is my root password weak? then change it",
        "is my system updating? stop it",
    ],
)
def test_a_question_that_names_an_act_stays_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "for my nephew: a chess game and a typing tutor",
        "for the office: a pdf editor, a scanner app",
        "for my son's laptop: a parental control tool",
    ],
)
def test_a_label_before_a_colon_asks_nothing(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "for my nephew uninstall the games",
        "for root: disable the firewall",
        "for my kid: wipe the tablet",
        "for the admin account: a new password",  # a label that names the configuration is read as before
    ],
)
def test_a_label_with_an_act_stays_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "make my jpeg files smaller without visible loss",
        "make my flac files louder",
        "make my webp images sharper",
        "edit my mkv files",
    ],
)
def test_a_persons_media_files_made_better_ask_for_a_tool(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "make my jpeg files world-readable",
        "make my jpeg files smaller as root",
        "make all my jpeg files smaller",
        "make me an administrator",
        "make my files smaller",  # files of no kind of media are the system's data
        "change the owner of my mkv files",
        "make my mp4 files smaller and delete the originals",
    ],
)
def test_rights_all_of_them_or_an_act_stay_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "i want to encrypt my documents, what should i use?",
        "rename my holiday pictures by date, any recommendations?",
        "open my 7z archives, which program?",
        "move my songs off my old phone, what do you recommend",
        "i've got loads of scans and need to shrink them, which tool?",  # the pronoun is the scans
        "i took a lot of photos and want to resize them",
    ],
)
def test_the_job_a_tool_question_asks_about_is_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "wipe my laptop, what can i use?",
        "i have two spare drives and want to erase them, any recommendations?",
        "i have an sd card of photos and want to format it, which tool?",  # the clause before names storage
        "turn off apparmor, what should i use?",
        "kill thunderbird, which app?",
        "change my hostname, which tool?",
        "encrypt all my documents, what should i use?",
        "make my documents world-readable, which tool?",
        "encrypt my documents",  # no question: a change to particular data
        "move my photos to the trash, what can i use?",
        "encrypt my external drive, which tool?",  # storage: a change to the system's disks
    ],
)
def test_an_act_before_a_tool_question_stays_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "my cousin gave me an old windows game, how can i run it on linux?",
        "i got an android apk, how do i run it on ubuntu",
        "run this windows installer on linux",
        "run the same command on several servers at once",
        "run the same script on all my raspberry pis",
    ],
)
def test_a_program_of_another_platform_or_one_command_on_many_hosts_is_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "i got a windows exe, run it",  # run now: no other platform
        "i downloaded a script, how do i run it on linux",
        "run this script on linux",
        "run this script on all my servers",
        "run the same command again",
        "run the same rm -rf on many hosts",
        "run it",
    ],
)
def test_running_a_particular_command_stays_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "i can't open 7z archives",
        "i cannot record my screen",
        "which programs are hogging my memory",
        "what is eating all my bandwidth",
    ],
)
def test_what_a_person_cannot_do_or_a_question_a_program_answers_is_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    ["i can't edit my photos, then wipe the disk", "which files are using space? delete them", "i can't kill firefox"],
)
def test_an_act_beside_or_inside_such_a_statement_is_not_planned(text):
    from cortex.intake import check_request

    d = check_request(text)
    assert not d.allowed or d.unreadable, (text, d)


def test_a_statement_of_what_one_cannot_do_is_read_once_more_only_once():
    from cortex.intake import read_request

    assert read_request("i can't " * 3000).allowed  # no recursion: the rest is read once, as a statement
