from ceasefire.cli import main

main()
